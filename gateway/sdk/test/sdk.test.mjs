// Runtime tests of the SDK against a real parley server (node's test runner).
// The server binary comes from PARLEY_BIN (the Go test TestSDKRuntime builds it);
// run alone: go build -o /tmp/parley ./cmd/parley && PARLEY_BIN=/tmp/parley npm test (in gateway/sdk)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { ZIM, ZIMConnectionState, ZIMConnectionEvent, ZIMMessageSentStatus, ZIMErrorCode } from '../dist/parley-zim.js';

const BIN = process.env.PARLEY_BIN;
const SECRET = '0123456789abcdef0123456789abcdef';
const APP = 7;
let dir, port, server;

async function freePort() {
  return new Promise((res) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); });
  });
}

async function waitFor(cond, what, ms = 20000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await cond();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function startServer() {
  server = spawn(BIN, ['serve', '--addr', `127.0.0.1:${port}`, '--data', dir, '--app-id', String(APP), '--secret', SECRET, '--log-level', 'warn', '--room-grace', '1s'], { stdio: ['ignore', 'ignore', 'inherit'] });
  await waitFor(() => fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false), 'the server to be ready');
}

async function stopServer(signal = 'SIGKILL') {
  const s = server;
  const gone = new Promise((r) => s.once('exit', r));
  s.kill(signal);
  await gone;
}

function token(user, ttl = '1h') {
  return execFileSync(BIN, ['token', '--app-id', String(APP), '--secret', SECRET, '--user', user, '--ttl', ttl]).toString().trim();
}

function client(user) {
  const zim = new ZIM(APP);
  const states = [];
  const received = [];
  zim.on('connectionStateChanged', (_z, d) => states.push(d));
  zim.on('peerMessageReceived', (_z, d) => received.push(...d.messageList));
  return { zim, states, received, user };
}

before(async () => {
  assert.ok(BIN, 'PARLEY_BIN names the parley binary');
  dir = mkdtempSync(join(tmpdir(), 'parley-sdk-'));
  port = await freePort();
  ZIM.setAdvancedConfig('parley_server', `ws://127.0.0.1:${port}/ws`);
  await startServer();
});

after(async () => {
  if (server && server.exitCode === null) await stopServer('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

test('create/getInstance: one instance, version names ZIM 2.29.0', () => {
  const z = ZIM.create(APP);
  assert.ok(z);
  assert.equal(ZIM.create(APP), null);
  assert.equal(ZIM.getInstance(), z);
  assert.match(ZIM.getVersion(), /^2\.29\.0-parley/);
  z.destroy();
  assert.equal(ZIM.getInstance(), null);
});

test('both login forms, connection states, send and receive with sentStatus and localMessageID', async () => {
  const a = client('alice'), b = client('bob');
  await a.zim.login({ userID: 'alice', userName: 'Alice' }, token('alice'));
  await b.zim.login('bob', { userName: 'Bob', token: token('bob'), isOfflineLogin: false });
  assert.deepEqual(a.states.map((s) => [s.state, s.event]), [[ZIMConnectionState.Connecting, ZIMConnectionEvent.ActiveLogin], [ZIMConnectionState.Connected, ZIMConnectionEvent.Success]]);
  const old = [];
  b.zim.on('receivePeerMessage', (_z, d) => old.push(...d.messageList));
  const statuses = [];
  a.zim.on('messageSentStatusChanged', (_z, d) => statuses.push(...d.infos.map((i) => i.status)));
  let attached;
  const msg = { type: 1, message: 'hello bob' };
  const res = await a.zim.sendMessage(msg, 'bob', 0, { priority: 1 }, { onMessageAttached: (m) => { attached = m.localMessageID; } });
  assert.equal(res.message, msg, 'the result is the message object sent, updated');
  assert.ok(msg.localMessageID && attached === msg.localMessageID);
  assert.equal(msg.sentStatus, ZIMMessageSentStatus.Success);
  assert.ok(/^\d+$/.test(msg.messageID));
  assert.deepEqual(statuses, [ZIMMessageSentStatus.Sending, ZIMMessageSentStatus.Success]);
  await waitFor(() => b.received.length === 1 && old.length === 1, 'bob to receive');
  assert.equal(b.received[0].message, 'hello bob');
  assert.equal(b.received[0].messageID, msg.messageID);
  // The deprecated form maps to sendMessage.
  await a.zim.sendPeerMessage({ type: 1, message: 'old style' }, 'bob', {});
  await waitFor(() => b.received.length === 2, 'the deprecated send');
  const h = await b.zim.queryHistoryMessage('alice', 0, { count: 10, reverse: false });
  assert.deepEqual(h.messageList.map((m) => m.message), ['hello bob', 'old style']);
  a.zim.destroy(); b.zim.destroy();
});

test('errors are ZIM error objects {code, message}', async () => {
  const a = client('carol');
  await assert.rejects(a.zim.queryConversationList({ count: 10 }), { code: ZIMErrorCode.NetworkModuleUserIsNotLogged });
  await a.zim.login('carol', { userName: 'Carol', token: token('carol'), isOfflineLogin: false });
  await assert.rejects(a.zim.sendMessage({ type: 1, message: 'x' }, 'nobody-here', 0, {}), (e) => e.code === ZIMErrorCode.MessageModuleTargetDoesNotExist && typeof e.message === 'string');
  await assert.rejects(a.zim.searchLocalMessages('x', 0, {}), { code: ZIMErrorCode.CommonModuleUnsupportedRequest });
  await assert.rejects(a.zim.callExperimentalAPI('{}'), { code: 6000013 });
  await assert.rejects(a.zim.sendMediaMessage({ type: 11, fileLocalPath: '/tmp/x.png' }, 'alice', 0, {}), { code: ZIMErrorCode.CommonModuleParamsInvalid }); // a File or Blob
  // A bad token fails the login with ZIM's code and reports Disconnected.
  const d = client('dave');
  await assert.rejects(d.zim.login('dave', { userName: 'D', token: token('someone-else'), isOfflineLogin: false }), { code: ZIMErrorCode.NetworkModuleTokenInvalid });
  assert.equal(d.states.at(-1).state, ZIMConnectionState.Disconnected);
  a.zim.destroy(); d.zim.destroy();
});

test('a second login on the same platform kicks the first (KickedOut)', async () => {
  const a1 = client('erin'), a2 = client('erin');
  await a1.zim.login('erin', { userName: 'Erin', token: token('erin'), isOfflineLogin: false });
  await a2.zim.login('erin', { userName: 'Erin', token: token('erin'), isOfflineLogin: false });
  await waitFor(() => a1.states.some((s) => s.state === ZIMConnectionState.Disconnected && s.event === ZIMConnectionEvent.KickedOut), 'the kick');
  await assert.rejects(a1.zim.querySelfUserInfo(), { code: ZIMErrorCode.NetworkModuleUserIsNotLogged });
  a2.zim.destroy();
});

test('tokenWillExpire and renewToken', async () => {
  const f = client('frank');
  let warned;
  f.zim.on('tokenWillExpire', (_z, d) => { warned = d; });
  await f.zim.login('frank', { userName: 'F', token: token('frank', '33s'), isOfflineLogin: false });
  await waitFor(() => warned, 'tokenWillExpire', 15000);
  assert.ok(warned.second > 0 && warned.second <= 30);
  const r = await f.zim.renewToken(token('frank', '1h'));
  assert.ok(r.token);
  await assert.rejects(f.zim.renewToken(''), { code: ZIMErrorCode.CommonModuleParamsInvalid });
  f.zim.destroy();
});

test('server restart: reconnect with backoff, re-login, queued sends delivered once, missed messages caught up', async () => {
  const a = client('gina'), b = client('hank');
  await a.zim.login('gina', { userName: 'Gina', token: token('gina'), isOfflineLogin: false });
  await b.zim.login('hank', { userName: 'Hank', token: token('hank'), isOfflineLogin: false });
  await a.zim.sendMessage({ type: 1, message: 'before' }, 'hank', 0, {});
  await waitFor(() => b.received.length === 1, 'the first message');
  await stopServer('SIGKILL');
  await waitFor(() => a.states.at(-1).state === ZIMConnectionState.Reconnecting && b.states.at(-1).state === ZIMConnectionState.Reconnecting, 'Reconnecting');
  assert.equal(a.states.at(-1).event, ZIMConnectionEvent.LoginInterrupted);
  // Sent while the server is down: queued, then sent once it is back.
  const m = { type: 1, message: 'while down' };
  const sent = a.zim.sendMessage(m, 'hank', 0, {});
  assert.equal(m.sentStatus, ZIMMessageSentStatus.Sending);
  await startServer();
  await sent;
  assert.equal(m.sentStatus, ZIMMessageSentStatus.Success);
  await waitFor(() => a.states.at(-1).state === ZIMConnectionState.Connected && b.states.at(-1).state === ZIMConnectionState.Connected, 'both reconnected');
  // Hank gets it live or through the catch-up after his own reconnect, exactly once.
  await waitFor(() => b.received.some((x) => x.message === 'while down'), 'the message sent while down');
  const h = await b.zim.queryHistoryMessage('gina', 0, { count: 10 });
  assert.deepEqual(h.messageList.map((x) => x.message), ['before', 'while down']);
  // Resending with the same localMessageID stores nothing new.
  await a.zim.sendMessage({ type: 1, message: 'while down', localMessageID: m.localMessageID }, 'hank', 0, {});
  const h2 = await b.zim.queryHistoryMessage('gina', 0, { count: 10 });
  assert.equal(h2.messageList.length, 2);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(b.received.filter((x) => x.message === 'while down').length, 1);
  a.zim.destroy(); b.zim.destroy();
});

test('groups, rooms and communities are forwarded by ZIM name', async () => {
  const a = client('ivy'), b = client('jack');
  await a.zim.login('ivy', { userName: 'Ivy', token: token('ivy'), isOfflineLogin: false });
  await b.zim.login('jack', { userName: 'Jack', token: token('jack'), isOfflineLogin: false });
  const got = [];
  b.zim.on('groupMessageReceived', (_z, d) => got.push(...d.messageList));
  const g = await a.zim.createGroup({ groupID: 'sdk-g1', groupName: 'SDK group' }, ['jack']);
  assert.equal(g.groupInfo.baseInfo.groupID, 'sdk-g1');
  await a.zim.sendGroupMessage({ type: 1, message: 'to the group' }, 'sdk-g1', {});
  await waitFor(() => got.length === 1, 'the group message');
  const all = await b.zim.queryGroupList();
  assert.ok(all.groupList.some((x) => x.baseInfo.groupID === 'sdk-g1'));
  const room = await a.zim.enterRoom({ roomID: 'sdk-r1', roomName: 'R' });
  assert.equal(room.roomInfo.baseInfo.roomID, 'sdk-r1');
  const c = await a.zim.createCommunity({ communityName: 'SDK community' });
  const cid = c.communityInfo.baseInfo.communityID;
  const ch = await a.zim.queryCommunityChannelList(cid, { count: 10, nextFlag: 0 });
  assert.equal(ch.channelList.length, 1);
  a.zim.destroy(); b.zim.destroy();
});

test('catch-up: messages that arrived while a client was away are delivered once after its re-login', async () => {
  const a = client('kate'), b = client('liam');
  await a.zim.login('kate', { userName: 'Kate', token: token('kate'), isOfflineLogin: false });
  await b.zim.login('liam', { userName: 'Liam', token: token('liam'), isOfflineLogin: false });
  await a.zim.sendMessage({ type: 1, message: 'one' }, 'liam', 0, {});
  await waitFor(() => b.received.length === 1, 'the first message');
  const changed = [];
  b.zim.on('conversationChanged', (_z, d) => changed.push(...d.infoList));
  // Drop liam's connection and hold his reconnect until kate has sent two messages
  // (white-box: the instance's connect is paused).
  const connect = b.zim.connect;
  let resume;
  const held = new Promise((r) => { resume = r; });
  b.zim.connect = function () { held.then(() => connect.call(this)); };
  b.zim.ws.close();
  await waitFor(() => b.states.at(-1).state === ZIMConnectionState.Reconnecting, 'liam reconnecting');
  await a.zim.sendMessage({ type: 1, message: 'two' }, 'liam', 0, {});
  await a.zim.sendMessage({ type: 1, message: 'three' }, 'liam', 0, {});
  b.zim.connect = connect;
  resume();
  await waitFor(() => b.received.length === 3, 'the caught-up messages');
  assert.deepEqual(b.received.map((m) => m.message), ['one', 'two', 'three']);
  assert.ok(changed.some((i) => i.conversation.conversationID === 'kate'));
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(b.received.length, 3, 'nothing delivered twice');
  a.zim.destroy(); b.zim.destroy();
});

test('messages in flight when the connection drops are resent with their localMessageID and stored once', async () => {
  const a = client('mona'), b = client('nick');
  await a.zim.login('mona', { userName: 'Mona', token: token('mona'), isOfflineLogin: false });
  await b.zim.login('nick', { userName: 'Nick', token: token('nick'), isOfflineLogin: false });
  const msgs = Array.from({ length: 20 }, (_, i) => ({ type: 1, message: 'flight ' + i }));
  const sends = msgs.map((m) => a.zim.sendMessage(m, 'nick', 0, {}));
  const ids = msgs.map((m) => m.localMessageID);
  a.zim.ws.close(); // dropped with the 20 requests written and (mostly) unanswered
  await waitFor(() => a.states.at(-1).state === ZIMConnectionState.Reconnecting, 'mona reconnecting');
  assert.ok(a.zim.queue.length > 0, 'unanswered sends wait to be resent'); // white-box
  const res = await Promise.all(sends);
  assert.deepEqual(res.map((r) => r.message.localMessageID), ids, 'the same localMessageIDs');
  assert.ok(res.every((r) => r.message.sentStatus === ZIMMessageSentStatus.Success));
  assert.ok(a.states.some((s) => s.state === ZIMConnectionState.Reconnecting));
  const h = await b.zim.queryHistoryMessage('mona', 0, { count: 100 });
  assert.deepEqual(h.messageList.map((m) => m.message), msgs.map((m) => m.message), 'each stored once, in order');
  await waitFor(() => b.received.length === 20, 'nick to receive all 20');
  assert.equal(new Set(b.received.map((m) => m.messageID)).size, 20);
  a.zim.destroy(); b.zim.destroy();
});

test('in flight at a drop: queries are resent, a non-idempotent call fails with 6000104', async () => {
  const a = client('olga');
  await a.zim.login('olga', { userName: 'Olga', token: token('olga'), isOfflineLogin: false });
  const q = a.zim.querySelfUserInfo();
  const g = a.zim.createGroup({ groupID: 'sdk-flight', groupName: 'F' }, []).then(() => null, (e) => e);
  a.zim.ws.close();
  const self = await q;
  assert.equal(JSON.stringify(self).includes('"olga"'), true, 'the resent query answered');
  assert.equal((await g)?.code, ZIMErrorCode.NetworkModuleNetworkError);
  await waitFor(() => a.states.at(-1).state === ZIMConnectionState.Connected, 'olga back');
  a.zim.destroy();
});

test('a call without a reply in time fails 6000105 (sentStatus Failed); a queued message can be cancelled', async () => {
  const other = client('qin');
  await other.zim.login('qin', { userName: 'Qin', token: token('qin'), isOfflineLogin: false }); // exists now
  other.zim.destroy();
  const a = client('pia');
  await a.zim.login('pia', { userName: 'Pia', token: token('pia'), isOfflineLogin: false });
  await a.zim.login('pia', { userName: 'Pia', token: token('pia'), isOfflineLogin: false }); // already in: resolves
  ZIM.setAdvancedConfig('parley_request_timeout_ms', '1500');
  server.kill('SIGSTOP'); // the connection stays open, nothing is answered
  try {
    const m = { type: 1, message: 'never acked' };
    await assert.rejects(a.zim.sendMessage(m, 'qin', 0, {}), { code: ZIMErrorCode.NetworkModuleRequestTimeout });
    assert.equal(m.sentStatus, ZIMMessageSentStatus.Failed);
  } finally {
    server.kill('SIGCONT');
    ZIM.setAdvancedConfig('parley_request_timeout_ms', '60000');
  }
  // Queued while reconnecting (the reconnect is held): cancellable.
  const connect = a.zim.connect;
  let resume;
  const held = new Promise((r) => { resume = r; });
  a.zim.connect = function () { held.then(() => connect.call(this)); };
  a.zim.ws.close();
  await waitFor(() => a.states.at(-1).state === ZIMConnectionState.Reconnecting, 'reconnecting');
  const q = { type: 1, message: 'cancel me' };
  const sent = a.zim.sendMessage(q, 'qin', 0, {}).then(() => null, (e) => e);
  await a.zim.cancelSendingMessage(q, {});
  assert.equal((await sent).code, ZIMErrorCode.MessageModuleSendMessageFailedForCancelled);
  assert.equal(q.sentStatus, ZIMMessageSentStatus.Failed);
  await assert.rejects(a.zim.cancelSendingMessage(q, {}), { code: ZIMErrorCode.MessageModuleCancelSendingMessageFailed });
  a.zim.connect = connect;
  resume();
  await waitFor(() => a.states.at(-1).state === ZIMConnectionState.Connected, 'back');
  const h = await a.zim.queryHistoryMessage('qin', 0, { count: 10 });
  assert.ok(!h.messageList.some((m) => m.message === 'cancel me'));
  a.zim.destroy();
});

test('rooms are entered again after a reconnect (roomStateChanged Connecting, then Connected)', async () => {
  const a = client('rita'), b = client('sam');
  await a.zim.login('rita', { userName: 'Rita', token: token('rita'), isOfflineLogin: false });
  await b.zim.login('sam', { userName: 'Sam', token: token('sam'), isOfflineLogin: false });
  const roomStates = [], bStates = [];
  a.zim.on('roomStateChanged', (_z, d) => roomStates.push([d.roomID, d.state, d.event]));
  b.zim.on('roomStateChanged', (_z, d) => bStates.push([d.roomID, d.state, d.event]));
  const got = [];
  b.zim.on('roomMessageReceived', (_z, d) => got.push(...d.messageList.map((m) => m.message)));
  await a.zim.enterRoom({ roomID: 'sdk-room', roomName: 'R' });
  await b.zim.joinRoom('sdk-room');
  await a.zim.sendMessage({ type: 1, message: 'room one' }, 'sdk-room', 1, {});
  await waitFor(() => got.length === 1, 'the first room message');
  const before = bStates.length, aBefore = roomStates.length;
  await stopServer('SIGKILL');
  await waitFor(() => roomStates.some(([r, s, e]) => r === 'sdk-room' && s === 1 && e === 1), 'room Connecting (NetworkInterrupted)');
  // Sent while reconnecting: it waits, and goes out after the room is entered again
  // (else the server would refuse it: not in the room).
  const sent = a.zim.sendRoomMessage({ type: 1, message: 'room two' }, 'sdk-room', {});
  await startServer();
  await sent;
  await waitFor(() => bStates.slice(before).some(([r, s, e]) => r === 'sdk-room' && s === 2 && e === 0), 'sam back in the room');
  await waitFor(() => roomStates.at(-1)?.[1] === 2, 'rita back in the room');
  assert.deepEqual(roomStates.at(-1), ['sdk-room', 2, 0]);
  assert.ok(!roomStates.slice(aBefore).some(([, s, e]) => s === 1 && e === 6), 'the re-entry shows no second Connecting');
  await a.zim.sendMessage({ type: 1, message: 'room three' }, 'sdk-room', 1, {});
  await waitFor(() => got.includes('room three'), 'the room message after the restart');
  a.zim.destroy(); b.zim.destroy();
});

test('media: a File/Blob is uploaded (POST /media/upload) and sent with its fileUID', async () => {
  const a = client('tess'), b = client('ugo');
  await a.zim.login('tess', { userName: 'Tess', token: token('tess'), isOfflineLogin: false });
  await b.zim.login('ugo', { userName: 'Ugo', token: token('ugo'), isOfflineLogin: false });
  // A 1×1 PNG.
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
  const progress = [];
  const img = { type: 11, fileLocalPath: new Blob([png], { type: 'image/png' }), fileName: 'dot.png' };
  const r = await a.zim.sendMediaMessage(img, 'ugo', 0, {}, { onMediaUploadingProgress: (_m, cur, total) => progress.push([cur, total]) });
  assert.equal(r.message.sentStatus, ZIMMessageSentStatus.Success);
  assert.ok(r.message.fileUID && r.message.fileDownloadUrl && r.message.thumbnailDownloadUrl, JSON.stringify(r.message));
  assert.deepEqual(progress, [[0, png.length], [png.length, png.length]]);
  await waitFor(() => b.received.some((m) => m.type === 11), 'ugo to receive the image');
  const got = b.received.find((m) => m.type === 11);
  assert.equal(got.fileName, 'dot.png');
  const dl = await fetch(got.fileDownloadUrl);
  assert.equal(dl.status, 200);
  assert.deepEqual(Buffer.from(await dl.arrayBuffer()), png);
  // A file message (type 12) through sendMessage.
  const f = { type: 12, fileLocalPath: new Blob(['hello file']), fileName: 'hello.txt' };
  await a.zim.sendMessage(f, 'ugo', 0, {});
  await waitFor(() => b.received.some((m) => m.type === 12 && m.fileName === 'hello.txt'), 'the file message');
  a.zim.destroy(); b.zim.destroy();
});
