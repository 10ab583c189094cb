// parley's web chat: plain JavaScript on the SDK's browser bundle (global ZIM), so every
// call here is a ZIM call. Conversation types: peer 0, room 1, group 2, community channel 3.
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const zim = ZIM.create(1) || ZIM.getInstance();
  const state = { me: null, convs: new Map(), current: null, oldest: 0 };
  const key = (id, type) => type + ':' + id;
  const el = (tag, attrs, ...kids) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'text') e.textContent = v; else if (k.startsWith('on')) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v);
    }
    for (const k of kids) if (k) e.append(k);
    return e;
  };
  const showError = (where, e) => { $(where).textContent = e && e.code ? `${e.message} (${e.code})` : String(e && e.message || e); };
  const preview = (m) => !m ? '' : m.type === 1 ? m.message : m.type === 200 ? '[custom] ' + m.message : '[message type ' + m.type + ']';

  // ---- connection ----
  const stateNames = ['offline', 'connecting…', 'online', 'reconnecting…'];
  window.parleyStates = []; // the connection states seen (the browser tests read it)
  zim.on('connectionStateChanged', (_z, d) => {
    window.parleyStates.push(d.state);
    $('conn').textContent = stateNames[d.state] || String(d.state);
    $('conn').dataset.state = String(d.state);
    if (d.state === 0 && state.me) {
      const why = { 4: 'signed in elsewhere', 5: 'token expired' }[d.event];
      if (why) showError('chatError', why);
    }
  });
  // Rooms: the SDK enters them again after a reconnect; the page shows the room's state.
  window.parleyRoomStates = []; // [roomID, state, event] (the browser tests read it)
  zim.on('roomStateChanged', (_z, d) => {
    window.parleyRoomStates.push([d.roomID, d.state, d.event]);
    if (state.current && state.current.type === 1 && state.current.id === d.roomID) {
      $('chatError').textContent = d.state === 2 ? '' : d.state === 1 ? 'reconnecting to the room…' : 'you are no longer in this room';
    }
  });
  zim.on('tokenWillExpire', async () => {
    try { const t = await fetchToken(state.me); if (t) await zim.renewToken(t); } catch (e) { showError('chatError', e); }
  });

  async function fetchToken(userID) {
    const r = await fetch('/dev/token?userID=' + encodeURIComponent(userID));
    if (!r.ok) return null;
    return (await r.json()).token;
  }

  $('login').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    $('loginError').textContent = '';
    const userID = $('userID').value.trim();
    const userName = $('userName').value.trim() || userID;
    try {
      let token = $('token').value.trim();
      if (!token) token = await fetchToken(userID);
      if (token === null) { $('tokenRow').hidden = false; throw new Error('this server needs a token (parley token --user ' + userID + ')'); }
      await zim.login(userID, { userName, token, isOfflineLogin: false });
      state.me = userID;
      $('me').textContent = userName + ' (' + userID + ')';
      $('login').hidden = true; $('app').hidden = false; $('logout').hidden = false;
      await loadConversations();
    } catch (e) { showError('loginError', e); }
  });
  $('logout').addEventListener('click', () => { zim.logout(); location.reload(); });

  // ---- conversations ----
  async function loadConversations() {
    const r = await zim.queryConversationList({ count: 100 });
    for (const c of r.conversationList) state.convs.set(key(c.conversationID, c.type), c);
    renderConvs();
    const t = await zim.queryConversationTotalUnreadMessageCount({});
    $('totalUnread').textContent = t.totalUnreadMessageCount;
  }
  function renderConvs() {
    const list = [...state.convs.values()].sort((a, b) => (b.orderKey || 0) - (a.orderKey || 0));
    const ul = $('convs');
    ul.replaceChildren(...list.map((c) => {
      const current = state.current && state.current.id === c.conversationID && state.current.type === c.type;
      const unread = current ? 0 : (c.unreadMessageCount || 0);
      return el('li', {}, el('button', { 'data-conv': c.conversationID, 'data-type': String(c.type), 'aria-current': String(!!current), onclick: () => open(c.conversationID, c.type, c.conversationName) },
        el('span', { class: 'name', text: c.conversationName || c.conversationID }),
        el('span', { class: 'badge', 'data-count': String(unread), 'aria-label': unread + ' unread', text: String(unread) }),
        el('span', { class: 'last', text: preview(c.lastMessage) })));
    }));
  }
  zim.on('conversationChanged', (_z, d) => {
    for (const i of d.infoList) {
      const c = i.conversation;
      const k = key(c.conversationID, c.type);
      if (i.event === 3) state.convs.delete(k); else state.convs.set(k, c);
    }
    renderConvs();
  });
  zim.on('conversationTotalUnreadMessageCountUpdated', (_z, d) => { $('totalUnread').textContent = d.totalUnreadMessageCount; });

  // ---- a conversation ----
  async function open(id, type, name) {
    state.current = { id, type };
    state.oldest = 0;
    $('chatTitle').textContent = name || id;
    $('messages').replaceChildren();
    $('composer').hidden = false;
    $('chatError').textContent = '';
    renderConvs();
    try {
      if (type !== 1) await zim.clearConversationUnreadMessageCount(id, type);
      await loadOlder();
    } catch (e) { showError('chatError', e); }
    $('text').focus();
  }
  async function loadOlder() {
    const cur = state.current;
    const config = { count: 30, reverse: false };
    if (state.oldest) config.nextMessage = { messageSeq: state.oldest };
    const r = await zim.queryHistoryMessage(cur.id, cur.type, config);
    if (state.current !== cur) return;
    const list = r.messageList;
    if (list.length) state.oldest = list[0].messageSeq;
    $('messages').prepend(...list.map(msgItem));
    $('older').hidden = list.length < 30;
    if (!config.nextMessage) scrollDown();
  }
  $('older').addEventListener('click', () => loadOlder().catch((e) => showError('chatError', e)));
  function msgItem(m) {
    const mine = m.senderUserID === state.me;
    return el('li', { class: mine ? 'mine' : '', 'data-status': String(m.sentStatus ?? 1), 'data-local': m.localMessageID || '', 'data-seq': String(m.messageSeq || '') },
      el('span', { class: 'from', text: mine ? 'me' : m.senderUserID }), el('span', { class: 'text', text: preview(m) }));
  }
  function scrollDown() { const ol = $('messages'); ol.scrollTop = ol.scrollHeight; }
  function onMessages(d) {
    const cur = state.current;
    const here = d.messageList.filter((m) => cur && m.conversationID === cur.id && m.conversationType === cur.type);
    if (!here.length) return;
    $('messages').append(...here.map(msgItem));
    scrollDown();
    if (cur.type !== 1 && document.visibilityState !== 'hidden') zim.clearConversationUnreadMessageCount(cur.id, cur.type).catch(() => {});
  }
  for (const ev of ['peerMessageReceived', 'groupMessageReceived', 'roomMessageReceived', 'communityChannelMessageReceived']) zim.on(ev, (_z, d) => onMessages(d));
  zim.on('messageSentStatusChanged', (_z, d) => {
    for (const i of d.infos) {
      const li = document.querySelector(`#messages li[data-local="${CSS.escape(i.message.localMessageID)}"]`);
      if (li) { li.dataset.status = String(i.status); li.dataset.seq = String(i.message.messageSeq || ''); }
    }
  });
  $('composer').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const text = $('text').value;
    const cur = state.current;
    if (!text || !cur) return;
    $('text').value = '';
    const m = { type: 1, message: text };
    try {
      await zim.sendMessage(m, cur.id, cur.type, { priority: 1 }, { onMessageAttached: (mm) => { $('messages').append(msgItem(mm)); scrollDown(); } });
    } catch (e) { showError('chatError', e); }
  });

  // ---- start a conversation, groups, rooms ----
  const target = () => { const v = $('target').value.trim(); if (!v) throw new Error('fill in the ID field first'); $('target').value = ''; return v; };
  const run = (fn) => async () => { try { await fn(); } catch (e) { showError('chatError', e); } };
  $('newPeer').addEventListener('click', run(async () => { const id = target(); await open(id, 0, id); }));
  $('newGroup').addEventListener('click', run(async () => {
    const name = target();
    const members = $('members').value.split(',').map((s) => s.trim()).filter(Boolean);
    $('members').value = '';
    const r = await zim.createGroup({ groupID: '', groupName: name, groupAvatarUrl: '' }, members);
    await open(r.groupInfo.baseInfo.groupID, 2, name);
  }));
  $('joinGroup').addEventListener('click', run(async () => {
    const id = target();
    const r = await zim.joinGroup(id);
    await open(id, 2, r.groupInfo.baseInfo.groupName);
  }));
  $('enterRoom').addEventListener('click', run(async () => {
    const id = target();
    await zim.enterRoom({ roomID: id, roomName: id });
    await open(id, 1, 'Room ' + id);
  }));

  // ---- communities and channels ----
  async function loadCommunities() {
    const r = await zim.queryCommunityList(100, { nextFlag: 0 });
    const items = [];
    for (const c of r.communityList) {
      const b = c.baseInfo;
      items.push(el('li', { class: 'name' }, el('label', {}, el('input', { type: 'radio', name: 'community', value: b.communityID }), document.createTextNode(' ' + b.communityName + ' (' + b.communityID + ')'))));
      const ch = await zim.queryCommunityChannelList(b.communityID, { count: 100, nextFlag: 0 });
      for (const x of ch.channelList) {
        items.push(el('li', {}, el('button', { 'data-channel': x.conversationID, onclick: () => open(x.conversationID, 3, '#' + x.channelName) }, el('span', { text: '# ' + x.channelName }))));
      }
    }
    $('communityList').replaceChildren(...items);
  }
  $('communities').addEventListener('click', run(async () => { $('communityPanel').hidden = !$('communityPanel').hidden; if (!$('communityPanel').hidden) await loadCommunities(); }));
  $('newCommunity').addEventListener('click', run(async () => { await zim.createCommunity({ communityID: '', communityName: target() }); await loadCommunities(); }));
  $('joinCommunity').addEventListener('click', run(async () => { await zim.joinCommunity(target()); await loadCommunities(); }));
  $('newChannel').addEventListener('click', run(async () => {
    const picked = document.querySelector('#communityList input[name="community"]:checked');
    if (!picked) throw new Error('pick a community first');
    await zim.createCommunityChannel({ channelID: '', channelName: target() }, { channelType: 2 }, picked.value);
    await loadCommunities();
  }));
  zim.on('communityListChanged', () => { if (!$('communityPanel').hidden) loadCommunities().catch(() => {}); });
  zim.on('communityChannelListChanged', () => { if (!$('communityPanel').hidden) loadCommunities().catch(() => {}); });
})();
document.getElementById('start').addEventListener('submit', (ev) => { ev.preventDefault(); document.getElementById('newPeer').click(); });
