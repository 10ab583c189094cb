// The ZIM class: ZIM's public API (zego-zim-web 2.29.0) over parley's WebSocket protocol
// (docs/PROTOCOL.md). One instance holds one session: a WebSocket speaking
// `parley.json`, the login it restores after every reconnect, the requests in flight and
// the listeners.
import {
  ZIMConnectionEvent,
  ZIMConnectionState,
  ZIMConversationType,
  ZIMMessageSentStatus,
  ZIMMessageType,
  ZIMErrorCode,
  ZIMRoomEvent,
  ZIMRoomState,
} from './api.gen';
import type {
  ZIMEventHandler,
  ZIMGeofencingType,
  ZIMGroupListQueryConfig,
  ZIMGroupListQueriedResult,
  ZIMLogConfig,
  ZIMMessage,
  ZIMMessageSendConfig,
  ZIMMessageSendNotification,
  ZIMMessageSentResult,
  ZIMRoomAttributesBatchOperationConfig,
  ZIMTokenRenewedResult,
  ZIMMessageInsertedResult,
  ZIMMessageLocalExtendedDataUpdatedResult,
  ZIMSendingMessageCancelConfig,
  ZIMConversationSearchConfig,
  ZIMConversationsSearchedResult,
  ZIMMessageSearchConfig,
  ZIMMessagesSearchedResult,
  ZIMMessagesGlobalSearchedResult,
  ZIMGroupSearchConfig,
  ZIMGroupsSearchedResult,
  ZIMGroupMemberSearchConfig,
  ZIMGroupMembersSearchedResult,
  ZIMFriendSearchConfig,
  ZIMFriendsSearchedResult,
  ZIMMediaMessageSendNotification,
  ZIMConversationType as ZIMConversationTypeT,
} from './api.gen';
import { ParleyCommunityAPI, type ParleyCommunityEventHandler } from './community';
import type { ZIMAppConfig, ZIMError, ZIMLoginConfig, ZIMLogoutConfig, ZIMUserInfo } from './types';

/** The SDK's version: ZIM's API version it implements, then parley's own. */
export const VERSION = '2.29.0-parley.0.1.0';

/** Every listener `on` accepts: ZIM's events and parley's community events. */
export interface ParleyEventHandler extends ZIMEventHandler, ParleyCommunityEventHandler {}

/** setAdvancedConfig keys parley reads (every other key is accepted and ignored, as ZIM does). */
export const ADVANCED_KEYS = {
  /** The server: `ws://host:7480/ws`, `wss://…/ws`, or an http(s) base URL (`/ws` is added). */
  server: 'parley_server',
  /** How long a request may wait for its reply, queued time included (ms, default 60000). */
  requestTimeout: 'parley_request_timeout_ms',
  /** The platform the session logs in as (ZIMPlatformType number; default 6, Web). */
  platform: 'parley_platform',
} as const;

const advanced: Record<string, string> = {};
let instance: ZIM | null = null;

const SUBPROTOCOL = 'parley.json';
const MAX_IN_FLIGHT = 128;
// Message fields the SDK or the server fill in; not sent back (a message object sent again
// by the app carries them from its first send).
const SDK_MESSAGE_FIELDS = new Set(['sentStatus', 'direction', 'senderUserID', 'conversationID', 'conversationType',
  'timestamp', 'messageID', 'messageSeq', 'conversationSeq', 'orderKey', 'isUserInserted', 'receiptStatus', 'localExtendedData']);
const SEEN_WINDOW = 1000;
const MEDIA_TYPES = new Set([11, 12, 13, 14]); // image, file, audio, video
const ROOM_METHODS = new Set(['createRoom', 'enterRoom', 'joinRoom', 'switchRoom', 'leaveRoom', 'leaveAllRoom']); // received sequence numbers remembered per conversation // the server allows 256 per connection
const KEEPALIVE_MS = 25_000; // the server closes a connection silent for 90 s
const DEAD_AFTER_MS = 20_000; // a keepalive unanswered this long: the connection is dead
const BACKOFF_MIN_MS = 100;
const BACKOFF_MAX_MS = 5_000;

// Close codes (docs/PROTOCOL.md "Close codes").
const CLOSE_KICKED = 4001;
const CLOSE_TOKEN_EXPIRED = 4002;
const CLOSE_PROTOCOL = 4004;
const CLOSE_TOO_BIG = 1009;

const E = {
  unsupported: (what: string): ZIMError => ({ code: ZIMErrorCode.CommonModuleUnsupportedRequest, message: `not supported by parley: ${what}` }),
  params: (what: string): ZIMError => ({ code: ZIMErrorCode.CommonModuleParamsInvalid, message: `invalid parameter: ${what}` }),
  notLoggedIn: (): ZIMError => ({ code: ZIMErrorCode.NetworkModuleUserIsNotLogged, message: 'not logged in' }),
  alreadyLoggedIn: (): ZIMError => ({ code: ZIMErrorCode.NetworkModuleUserHasAlreadyLogged, message: 'already logged in' }),
  timeout: (): ZIMError => ({ code: ZIMErrorCode.NetworkModuleRequestTimeout, message: 'request timed out' }),
  lost: (): ZIMError => ({ code: ZIMErrorCode.NetworkModuleNetworkError, message: 'connection lost with the call in flight; not resent (not idempotent): query before trying again' }),
  cancelled: (): ZIMError => ({ code: ZIMErrorCode.MessageModuleSendMessageFailedForCancelled, message: 'sending was cancelled' }),
  notCancellable: (): ZIMError => ({ code: ZIMErrorCode.MessageModuleCancelSendingMessageFailed, message: 'the message is not waiting to be sent' }),
  destroyed: (): ZIMError => ({ code: ZIMErrorCode.CommonModuleNotInit, message: 'the ZIM instance was destroyed' }),
};

// Setters of absolute values: sending them twice has the effect of sending them once, so
// they are sent again after a reconnect (as the server's method table marks them).
const REPEATABLE = new Set([
  'updateUserName', 'updateUserAvatarUrl', 'updateUserExtendedData', 'updateUserOfflinePushRule',
  'updateUserCustomStatus', 'updateUserBadge', 'setConversationDraft', 'setConversationNotificationStatus',
  'clearConversationUnreadMessageCount', 'clearConversationTotalUnreadMessageCount',
  'updateConversationPinnedState', 'updateGroupName', 'updateGroupAvatarUrl', 'updateGroupNotice',
  'updateGroupAlias', 'updateGroupJoinMode', 'updateGroupInviteMode', 'updateGroupBeInviteMode',
  'setGroupMemberRole', 'setGroupMemberNickname', 'updateCommunityName', 'updateCommunityAvatarUrl',
  'updateCommunityNotice', 'setCommunityNotificationStatus', 'setCommunityMemberRole',
  'updateCommunityChannelName', 'updateCommunityChannelAvatarUrl', 'updateCommunityChannelNotice',
  'updateFriendAlias',
]);

interface Request {
  id: number;
  method: string;
  params: Record<string, unknown>;
  resolve: (v: any) => void;
  reject: (e: ZIMError) => void;
  deadline: number;
  resendable: boolean;
  internal?: boolean;
  localMessageID?: string;
}

interface Session {
  userID: string;
  userName: string;
  token: string;
  platform: number;
}

type Listener = (zim: ZIM, data: any) => void;

function serverURL(): string {
  let u = advanced[ADVANCED_KEYS.server];
  if (!u) {
    const loc = (globalThis as any).location;
    if (loc && loc.host) return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/ws`;
    return 'ws://127.0.0.1:7480/ws';
  }
  if (u.startsWith('http://')) u = 'ws://' + u.slice(7);
  else if (u.startsWith('https://')) u = 'wss://' + u.slice(8);
  if (!/\/ws\/?$/.test(u)) u = u.replace(/\/$/, '') + '/ws';
  return u;
}

/** The server's HTTP base URL (uploads), from its WebSocket URL. */
function httpBase(): string {
  return serverURL().replace(/^ws/, 'http').replace(/\/ws\/?$/, '');
}

function num(v: string | undefined, d: number): number {
  const n = v === undefined ? NaN : Number(v);
  return Number.isFinite(n) && n > 0 ? n : d;
}

function isError(e: any): e is ZIMError {
  return e && typeof e === 'object' && typeof e.code === 'number' && typeof e.message === 'string';
}

/** A conversation's key in the SDK's bookkeeping. */
function convKey(id: string, type: number): string {
  return `${type}\u001f${id}`;
}

/**
 * ZIM's entry point. `ZIM.create(appID)` makes the instance, `ZIM.getInstance()` returns
 * it. parley addition: `new ZIM(appID)` makes further independent instances (several
 * users in one process, as tests and bots need).
 */
export class ZIM extends ParleyCommunityAPI {
  readonly appID: number;
  private listeners = new Map<string, Listener[]>();
  private state: ZIMConnectionState = ZIMConnectionState.Disconnected;
  private session: Session | null = null;
  private ws: WebSocket | null = null;
  private loggedIn = false; // the current socket's login succeeded
  private nextID = 1;
  private queue: Request[] = []; // waiting for a logged-in socket or a free slot
  private inflight = new Map<number, Request>(); // sent on the current socket
  private loginWaiters: { resolve: () => void; reject: (e: ZIMError) => void } | null = null;
  private attempt = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private ticker: ReturnType<typeof setInterval> | null = null;
  private lastSent = 0;
  private lastReceived = 0;
  private keepaliveAt = 0; // when the unanswered keepalive was sent (0: none)
  private lidSeq = 0;
  private readonly lidPrefix = `${Date.now()}${Math.floor(Math.random() * 1e6).toString().padStart(6, '0')}`;
  private everConnected = false;
  private loginStartedAt = 0;
  private destroyed = false;
  /** The last message sequence number seen per conversation (to catch up after a reconnect). */
  private lastSeq = new Map<string, { seq: number; recent: Set<number> }>();
  /** The rooms this session is in (room membership belongs to the connection: re-entered after a reconnect). */
  private rooms = new Map<string, string>(); // roomID → roomName
  private reentering = new Set<string>();

  constructor(appConfig: number | ZIMAppConfig) {
    super();
    this.appID = typeof appConfig === 'number' ? appConfig : appConfig?.appID;
  }

  // ---- statics ----

  static getVersion(): string {
    return VERSION;
  }

  /** Creates the instance (ZIM keeps one); null when one exists (use getInstance) or the app ID is invalid. */
  static create(appConfig: number | ZIMAppConfig): ZIM | null {
    if (instance) return null;
    const appID = typeof appConfig === 'number' ? appConfig : appConfig?.appID;
    if (typeof appID !== 'number' || !Number.isInteger(appID) || appID < 0) return null;
    instance = new ZIM(appConfig);
    return instance;
  }

  static getInstance(): ZIM | null {
    return instance;
  }

  /** ZIM's advanced settings; parley reads `parley_server` (the server URL) and the keys of ADVANCED_KEYS. */
  static setAdvancedConfig(key: string, value: string): void {
    advanced[key] = value;
  }

  /** Geofencing is a ZEGO cloud feature: not applied (returns false). */
  static setGeofencingConfig(_areaList: number[], _type: ZIMGeofencingType): boolean {
    return false;
  }

  // ---- instance basics ----

  /** Logging happens in the browser console; the config is accepted and ignored. */
  setLogConfig(_config: ZIMLogConfig): void {}

  destroy(): void {
    this.logout();
    this.destroyed = true;
    this.listeners.clear();
    if (instance === this) instance = null;
  }

  /** Adds a listener (several per event may be added); ZIM's events and parley's community events. */
  on<K extends keyof ZIMEventHandler>(type: K, listener: ZIMEventHandler[K]): void;
  on<K extends keyof ParleyCommunityEventHandler>(type: K, listener: ParleyCommunityEventHandler[K]): void;
  on(type: string, listener: Listener): void {
    if (typeof listener !== 'function') return;
    const l = this.listeners.get(type) ?? [];
    l.push(listener);
    this.listeners.set(type, l);
  }

  /** Removes every listener of the event. */
  off<K extends keyof ZIMEventHandler>(type: K): void;
  off<K extends keyof ParleyCommunityEventHandler>(type: K): void;
  off(type: string): void {
    this.listeners.delete(type);
  }

  private emit(type: string, data: any): void {
    const l = this.listeners.get(type);
    if (!l) return;
    for (const fn of [...l]) {
      try {
        fn(this, data);
      } catch (e) {
        console.error(`parley: a ${type} listener threw`, e);
      }
    }
  }

  uploadLog(): Promise<void> {
    return Promise.reject(E.unsupported('uploadLog (logs stay in the browser console)'));
  }

  callExperimentalAPI(_params: string): Promise<string> {
    return Promise.reject(E.unsupported('callExperimentalAPI'));
  }

  /** The connection state (parley addition; ZIM reports it through connectionStateChanged only). */
  getConnectionState(): ZIMConnectionState {
    return this.state;
  }

  // ---- session ----

  login(userInfo: ZIMUserInfo, token: string): Promise<void>;
  login(userID: string, config: ZIMLoginConfig): Promise<void>;
  login(a: ZIMUserInfo | string, b: string | ZIMLoginConfig): Promise<void> {
    if (this.destroyed) return Promise.reject(E.destroyed());
    let s: Session;
    const platform = num(advanced[ADVANCED_KEYS.platform], 6);
    if (typeof a === 'string') {
      const cfg = (b ?? {}) as ZIMLoginConfig;
      if (typeof cfg !== 'object') return Promise.reject(E.params('config'));
      s = { userID: a, userName: cfg.userName ?? '', token: cfg.token ?? '', platform };
    } else if (a && typeof a === 'object' && typeof a.userID === 'string') {
      if (b !== undefined && typeof b !== 'string') return Promise.reject(E.params('token'));
      s = { userID: a.userID, userName: a.userName ?? '', token: (b as string) ?? '', platform };
    } else {
      return Promise.reject(E.params('userID'));
    }
    if (!s.userID) return Promise.reject({ code: ZIMErrorCode.NetworkModuleUserIDError, message: 'invalid user ID' });
    if (this.session) {
      if (this.session.userID === s.userID && this.state === ZIMConnectionState.Connected) return Promise.resolve();
      return Promise.reject(E.alreadyLoggedIn());
    }
    this.session = s;
    this.lastSeq.clear(); // a new session catches up from its own first login
    this.rooms.clear();
    this.everConnected = false;
    this.attempt = 0;
    this.loginStartedAt = Date.now();
    this.setState(ZIMConnectionState.Connecting, ZIMConnectionEvent.ActiveLogin);
    this.startTicker();
    return new Promise<void>((resolve, reject) => {
      this.loginWaiters = { resolve, reject };
      this.connect();
    });
  }

  logout(_config?: ZIMLogoutConfig): void {
    if (!this.session) return;
    const ws = this.ws;
    if (ws && this.loggedIn) {
      try {
        ws.send(JSON.stringify({ id: this.nextID++, method: 'logout', params: {} }));
      } catch {
        /* closing anyway */
      }
    }
    this.endSession(E.notLoggedIn(), ZIMConnectionEvent.Success, 1000);
  }

  async renewToken(token: string): Promise<ZIMTokenRenewedResult> {
    if (typeof token !== 'string' || !token) throw E.params('token');
    const res = await this._invoke('renewToken', { token });
    if (this.session) this.session.token = token;
    return { token, ...(res ?? {}) };
  }

  // ---- transport ----

  private setState(state: ZIMConnectionState, event: ZIMConnectionEvent, extendedData = ''): void {
    this.state = state;
    this.emit('connectionStateChanged', { state, event, extendedData });
  }

  private startTicker(): void {
    if (this.ticker) return;
    this.ticker = setInterval(() => this.tick(), 1000);
    (this.ticker as any).unref?.();
  }

  private connect(): void {
    if (!this.session || this.destroyed) return;
    const WS: typeof WebSocket | undefined = (globalThis as any).WebSocket;
    if (!WS) {
      this.failLogin({ code: ZIMErrorCode.NetworkModuleNetworkError, message: 'no WebSocket in this environment' });
      return;
    }
    let ws: WebSocket;
    try {
      ws = new WS(serverURL(), SUBPROTOCOL);
    } catch {
      this.failLogin(E.params(`server URL ${serverURL()}`));
      return;
    }
    this.ws = ws;
    this.loggedIn = false;
    ws.onopen = () => {
      if (this.ws !== ws || !this.session) return;
      const s = this.session;
      this.lastReceived = Date.now();
      const loginID = this.nextID++;
      this.inflight.set(loginID, {
        id: loginID, method: 'login', params: {}, deadline: Date.now() + 30_000, resendable: false, internal: true,
        resolve: () => this.onLoggedIn(ws),
        reject: (e) => this.onLoginRefused(ws, e),
      });
      this.sendFrame(ws, { id: loginID, method: 'login', params: { userID: s.userID, userName: s.userName, token: s.token, platform: s.platform } });
    };
    ws.onmessage = (ev) => {
      if (this.ws !== ws) return;
      this.lastReceived = Date.now();
      this.keepaliveAt = 0;
      let f: any;
      try {
        f = JSON.parse(typeof ev.data === 'string' ? ev.data : new TextDecoder().decode(ev.data as ArrayBuffer));
      } catch {
        return;
      }
      if (typeof f.event === 'string') this.onPush(f.event, f.data ?? {});
      else if (typeof f.id === 'number') this.onReply(f);
    };
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      this.onClosed(ev.code);
    };
    // Some WebSocket implementations (node 20's) report a failed connection attempt
    // with an error and no close: either ends this socket once.
    ws.onerror = () => {
      if (this.ws !== ws) return;
      try {
        ws.close();
      } catch {
        /* not open */
      }
      this.onClosed(1006);
    };
    const opening = setTimeout(() => {
      if (this.ws === ws && ws.readyState !== 1) ws.onerror?.(new Event('error'));
    }, 10_000);
    (opening as any).unref?.();
  }

  private sendFrame(ws: WebSocket, frame: { id: number; method: string; params: unknown }): void {
    ws.send(JSON.stringify(frame));
    this.lastSent = Date.now();
  }

  private onLoggedIn(ws: WebSocket): void {
    if (this.ws !== ws) return;
    this.loggedIn = true;
    this.attempt = 0;
    const reconnected = this.everConnected;
    this.everConnected = true;
    this.setState(ZIMConnectionState.Connected, ZIMConnectionEvent.Success);
    const w = this.loginWaiters;
    this.loginWaiters = null;
    w?.resolve();
    if (reconnected) this.reenterRooms();
    this.pump();
    if (reconnected) void this.catchUp();
  }

  /**
   * After a re-login: enters this session's rooms again, ahead of the calls that waited
   * for the connection (room messages among them). The server answers with
   * roomStateChanged Connected (2/Success); a room that cannot be entered again is
   * reported Disconnected (0/EnterFailed) and forgotten.
   */
  private reenterRooms(): void {
    const entries = [...this.rooms];
    for (const [roomID, roomName] of entries.reverse()) {
      this.reentering.add(roomID);
      this._invoke('enterRoom', { roomInfo: { roomID, roomName } }, { resendable: false, front: true }).then(
        () => this.reentering.delete(roomID),
        (e: ZIMError) => {
          this.reentering.delete(roomID);
          if (e.code === ZIMErrorCode.RoomModuleUserIsAlreadyInTheRoom) return;
          if (this.rooms.delete(roomID)) {
            this.emit('roomStateChanged', { roomID, state: ZIMRoomState.Disconnected, event: ZIMRoomEvent.EnterFailed, extendedData: '' });
          }
        },
      );
    }
  }

  /** Keeps the set of rooms this session is in from the room calls' results. */
  private trackRooms(method: string, p: any, res: any): void {
    const info = res?.roomInfo?.baseInfo;
    switch (method) {
      case 'createRoom':
      case 'enterRoom':
      case 'joinRoom':
        if (info?.roomID) this.rooms.set(info.roomID, info.roomName ?? '');
        return;
      case 'switchRoom':
        this.rooms.delete(p.fromRoomID);
        if (info?.roomID) this.rooms.set(info.roomID, info.roomName ?? '');
        return;
      case 'leaveRoom':
        this.rooms.delete(p.roomID);
        return;
      case 'leaveAllRoom':
        this.rooms.clear();
    }
  }

  private onLoginRefused(ws: WebSocket, e: ZIMError): void {
    if (this.ws !== ws) return;
    if (this.loginWaiters) {
      this.failLogin(e);
      return;
    }
    // A re-login refused (token expired or revoked meanwhile): the session ends.
    const ev = e.code === ZIMErrorCode.NetworkModuleTokenExpired ? ZIMConnectionEvent.TokenExpired : ZIMConnectionEvent.LoginInterrupted;
    this.endSession(e, ev, 1000);
  }

  private failLogin(e: ZIMError, event: ZIMConnectionEvent = ZIMConnectionEvent.LoginInterrupted): void {
    const w = this.loginWaiters;
    this.loginWaiters = null;
    this.endSession(e, event, 1000);
    w?.reject(e);
  }

  /** Ends the session: closes the socket, fails every request, reports Disconnected. */
  private endSession(err: ZIMError, event: ZIMConnectionEvent, closeCode: number): void {
    const ws = this.ws;
    this.ws = null;
    this.loggedIn = false;
    this.session = null;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = null;
    if (ws) {
      try {
        ws.close(closeCode);
      } catch {
        /* already closed */
      }
    }
    const all = [...this.inflight.values(), ...this.queue];
    this.inflight.clear();
    this.queue = [];
    for (const r of all) if (!r.internal) r.reject(err);
    const w = this.loginWaiters;
    this.loginWaiters = null;
    w?.reject(err);
    if (this.state !== ZIMConnectionState.Disconnected) this.setState(ZIMConnectionState.Disconnected, event);
  }

  private onClosed(code: number): void {
    this.ws = null;
    this.loggedIn = false;
    if (!this.session) return;
    if (code === CLOSE_KICKED) return this.endSession(E.notLoggedIn(), ZIMConnectionEvent.KickedOut, 1000);
    if (code === CLOSE_TOKEN_EXPIRED) return this.endSession({ code: ZIMErrorCode.NetworkModuleTokenExpired, message: 'token expired' }, ZIMConnectionEvent.TokenExpired, 1000);
    if (code === CLOSE_PROTOCOL || code === CLOSE_TOO_BIG) {
      return this.endSession({ code: ZIMErrorCode.NetworkModuleCommonError, message: `the server closed the connection (${code})` }, ZIMConnectionEvent.LoginInterrupted, 1000);
    }
    // What was sent and not answered: resend what is safe to run twice, in order.
    const lost = [...this.inflight.values()].sort((x, y) => x.id - y.id);
    this.inflight.clear();
    const again: Request[] = [];
    for (const r of lost) {
      if (r.internal) continue;
      if (r.resendable) again.push(r);
      else r.reject(E.lost());
    }
    this.queue = again.concat(this.queue);
    if (this.everConnected && this.state !== ZIMConnectionState.Reconnecting) {
      this.setState(ZIMConnectionState.Reconnecting, ZIMConnectionEvent.LoginInterrupted);
      for (const roomID of this.rooms.keys()) {
        this.emit('roomStateChanged', { roomID, state: ZIMRoomState.Connecting, event: ZIMRoomEvent.NetworkInterrupted, extendedData: '' });
      }
    }
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.reconnectTimer || !this.session) return;
    const d = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** Math.min(this.attempt, 10));
    this.attempt++;
    const wait = d / 2 + Math.random() * (d / 2);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, wait);
  }

  private tick(): void {
    const now = Date.now();
    // Requests past their deadline fail (and free their slot).
    const expired = (r: Request) => r.deadline <= now;
    for (const [id, r] of this.inflight) {
      if (expired(r) && !r.internal) {
        this.inflight.delete(id);
        r.reject(E.timeout());
      }
    }
    if (this.queue.some(expired)) {
      const keep: Request[] = [];
      for (const r of this.queue) {
        if (expired(r)) r.reject(E.timeout());
        else keep.push(r);
      }
      this.queue = keep;
    }
    // The first login gives up after its deadline.
    if (this.loginWaiters && !this.everConnected && this.session && now - this.loginStartedAt > 30_000) {
      this.failLogin({ code: ZIMErrorCode.NetworkModuleNetworkError, message: 'could not reach the server' }, ZIMConnectionEvent.LoginTimeout);
      return;
    }
    const ws = this.ws;
    if (!ws || !this.loggedIn) return;
    // Browsers cannot send WebSocket pings: a cheap query keeps the connection alive
    // and finds a dead one.
    if (this.keepaliveAt && now - this.keepaliveAt > DEAD_AFTER_MS) {
      this.keepaliveAt = 0;
      try {
        ws.close();
      } catch {
        /* ignore */
      }
      this.ws = null;
      this.onClosed(1006);
      return;
    }
    if (!this.keepaliveAt && now - Math.max(this.lastSent, this.lastReceived) > KEEPALIVE_MS) {
      this.keepaliveAt = now;
      const id = this.nextID++;
      this.inflight.set(id, { id, method: 'querySelfUserInfo', params: {}, deadline: now + DEAD_AFTER_MS * 2, resendable: false, internal: true, resolve: () => {}, reject: () => {} });
      this.sendFrame(ws, { id, method: 'querySelfUserInfo', params: {} });
    }
  }


  private pump(): void {
    const ws = this.ws;
    if (!ws || !this.loggedIn) return;
    while (this.queue.length && this.inflight.size < MAX_IN_FLIGHT) {
      const r = this.queue.shift()!;
      r.id = this.nextID++;
      this.inflight.set(r.id, r);
      try {
        this.sendFrame(ws, { id: r.id, method: r.method, params: r.params });
      } catch {
        return; // the socket is closing: onclose requeues
      }
    }
  }

  private onReply(f: { id: number; code?: number; message?: string; data?: any }): void {
    const r = this.inflight.get(f.id);
    if (!r) return;
    this.inflight.delete(f.id);
    if (!f.code) r.resolve(f.data ?? {});
    else r.reject({ code: f.code, message: f.message || `error ${f.code}` });
    this.pump();
  }

  /** Sends a request by ZIM method name with ZIM parameter names; rejects with ZIM's error object. */
  protected _invoke(method: string, params: Record<string, unknown>, opts: { resendable?: boolean; localMessageID?: string; front?: boolean } = {}): Promise<any> {
    if (this.destroyed) return Promise.reject(E.destroyed());
    if (!this.session) return Promise.reject(E.notLoggedIn());
    const clean: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(params)) if (v !== undefined) clean[k] = v;
    const resendable = opts.resendable ?? ((method.startsWith('query') && !method.startsWith('queryRoom')) || REPEATABLE.has(method));
    const p = new Promise<any>((resolve, reject) => {
      const timeout = num(advanced[ADVANCED_KEYS.requestTimeout], 60_000);
      const r: Request = { id: 0, method, params: clean, resolve, reject, deadline: Date.now() + timeout, resendable, localMessageID: opts.localMessageID };
      if (opts.front) this.queue.unshift(r);
      else this.queue.push(r);
      this.pump();
    });
    if (!ROOM_METHODS.has(method)) return p;
    return p.then((res) => {
      this.trackRooms(method, clean, res);
      return res;
    });
  }

  // ---- pushes ----

  private onPush(event: string, data: any): void {
    switch (event) {
      case 'connectionStateChanged':
        // The SDK reports its own states; the server's Disconnected (kicked, token
        // expired) ends the session.
        if (data.state === ZIMConnectionState.Disconnected) {
          const ev = data.event as ZIMConnectionEvent;
          const err = ev === ZIMConnectionEvent.TokenExpired ? { code: ZIMErrorCode.NetworkModuleTokenExpired, message: 'token expired' } : E.notLoggedIn();
          this.endSession(err, ev, 1000);
        }
        return;
      case 'peerMessageReceived':
      case 'groupMessageReceived':
      case 'roomMessageReceived':
      case 'communityChannelMessageReceived': {
        // A message a catch-up already delivered is not delivered again.
        const fresh = (data.messageList ?? []).filter((m: any) => this.firstDelivery(m));
        if (!fresh.length) return;
        data = { ...data, messageList: fresh };
        this.emit(event, data);
        if (event !== 'communityChannelMessageReceived') {
          // ZIM's deprecated events, still used by many apps.
          const old = event === 'peerMessageReceived' ? 'receivePeerMessage' : event === 'groupMessageReceived' ? 'receiveGroupMessage' : 'receiveRoomMessage';
          this.emit(old, { messageList: data.messageList, fromConversationID: data.fromConversationID });
        }
        return;
      }
      case 'roomStateChanged':
        if (this.reentering.has(data.roomID) && data.state === ZIMRoomState.Connecting) return; // still Connecting since the drop
        if (data.state === ZIMRoomState.Disconnected) this.rooms.delete(data.roomID);
        this.emit(event, data);
        return;
      default:
        this.emit(event, data);
    }
  }

  /**
   * Whether a received message is delivered for the first time (and notes it): a live
   * push and the catch-up after a reconnect may both carry it. The sequence numbers of
   * the last SEEN_WINDOW messages of each conversation are kept.
   */
  private firstDelivery(m: any): boolean {
    if (!m?.messageSeq || m.conversationType === ZIMConversationType.Room) return true;
    const k = convKey(m.conversationID, m.conversationType);
    let e = this.lastSeq.get(k);
    if (!e) {
      e = { seq: 0, recent: new Set() };
      this.lastSeq.set(k, e);
    }
    const seq: number = m.messageSeq;
    if (e.recent.has(seq) || (e.seq > SEEN_WINDOW && seq <= e.seq - SEEN_WINDOW)) return false;
    e.recent.add(seq);
    if (seq > e.seq) e.seq = seq;
    if (e.recent.size > SEEN_WINDOW + SEEN_WINDOW / 4) {
      for (const x of e.recent) if (x <= e.seq - SEEN_WINDOW) e.recent.delete(x);
    }
    return true;
  }

  /**
   * After a reconnect: what arrived while the connection was down is delivered as ZIM
   * delivers offline messages, as message-received events (for the conversations this
   * instance has seen messages of), then the conversation list and total unread count
   * are reported again.
   */
  private async catchUp(): Promise<void> {
    const events: Record<number, string> = {
      [ZIMConversationType.Peer]: 'peerMessageReceived',
      [ZIMConversationType.Group]: 'groupMessageReceived',
      [ZIMConversationType.CommunityChannel]: 'communityChannelMessageReceived',
    };
    // Where each conversation stood when the connection came back (live pushes that
    // arrive during the catch-up move lastSeq on).
    const from0 = new Map([...this.lastSeq].map(([k, v]) => [k, v.seq]));
    try {
      const list = await this._invoke('queryConversationList', { config: { count: 100 } });
      const changed: any[] = [];
      for (const c of list?.conversationList ?? []) {
        const type: number = c.type ?? c.conversationType; // ZIMConversation names it `type`
        const seen = from0.get(convKey(c.conversationID, type));
        const last = c.lastMessage?.messageSeq ?? 0;
        if (seen === undefined || last <= seen) continue;
        changed.push({ event: 1, conversation: c });
        let from = seen;
        for (let pages = 0; pages < 10 && from < last; pages++) {
          const h = await this._invoke('queryHistoryMessage', {
            conversationID: c.conversationID, conversationType: type,
            config: { count: 100, reverse: true, nextMessage: { messageSeq: from } },
          });
          const all: any[] = h?.messageList ?? [];
          if (!all.length) break;
          const missed = all.filter((m) => m.messageSeq > from && m.direction === 1);
          from = Math.max(from, ...all.map((m) => m.messageSeq));
          if (missed.length && events[type]) {
            this.onPush(events[type], { messageList: missed, fromConversationID: c.conversationID, info: {} });
          }
        }
      }
      if (changed.length) this.emit('conversationChanged', { infoList: changed });
      const t = await this._invoke('queryConversationTotalUnreadMessageCount', { config: {} });
      if (t && typeof t.totalUnreadMessageCount === 'number') this.emit('conversationTotalUnreadMessageCountUpdated', t);
    } catch (e) {
      if (isError(e)) this.emit('error', e);
    }
  }

  // ---- messages ----

  private newLocalMessageID(): string {
    return `${this.lidPrefix}${++this.lidSeq}`;
  }

  sendMessage(message: ZIMMessage, toConversationID: string, conversationType: ZIMConversationTypeT, config: ZIMMessageSendConfig, notification?: ZIMMessageSendNotification): Promise<ZIMMessageSentResult> {
    return this.send('sendMessage', message, { toConversationID, conversationType, config }, toConversationID, conversationType, notification);
  }

  replyMessage(message: ZIMMessage, toOriginalMessage: ZIMMessage, config: ZIMMessageSendConfig, notification?: ZIMMessageSendNotification): Promise<ZIMMessageSentResult> {
    if (!toOriginalMessage || typeof toOriginalMessage !== 'object') return Promise.reject(E.params('toOriginalMessage'));
    return this.send('replyMessage', message, { toOriginalMessage, config }, toOriginalMessage.conversationID, toOriginalMessage.conversationType, notification);
  }

  /** Deprecated ZIM form: sendMessage to a user. */
  sendPeerMessage(message: ZIMMessage, toUserID: string, config: ZIMMessageSendConfig): Promise<ZIMMessageSentResult> {
    return this.sendMessage(message, toUserID, ZIMConversationType.Peer, config);
  }

  /** Deprecated ZIM form: sendMessage to a group. */
  sendGroupMessage(message: ZIMMessage, toGroupID: string, config: ZIMMessageSendConfig): Promise<ZIMMessageSentResult> {
    return this.sendMessage(message, toGroupID, ZIMConversationType.Group, config);
  }

  /** Deprecated ZIM form: sendMessage to a room. */
  sendRoomMessage(message: ZIMMessage, toRoomID: string, config: ZIMMessageSendConfig): Promise<ZIMMessageSentResult> {
    return this.sendMessage(message, toRoomID, ZIMConversationType.Room, config);
  }

  /** Deprecated ZIM form for media messages: sendMessage (which uploads a local file first). */
  sendMediaMessage(message: ZIMMessage, toConversationID: string, conversationType: ZIMConversationTypeT, config: ZIMMessageSendConfig, notification?: ZIMMediaMessageSendNotification): Promise<ZIMMessageSentResult> {
    return this.sendMessage(message, toConversationID, conversationType, config, notification);
  }

  /**
   * Uploads a media message's local file (a File or Blob in `fileLocalPath`, and a
   * video's `videoFirstFrameLocalPath`) to the server's upload endpoint
   * (POST /media/upload, docs/PROTOCOL.md "Media"), keyed by the localMessageID so that
   * a retry gets the same file, and fills the message's fileUID and URLs.
   */
  private async uploadMedia(m: any, notification?: ZIMMessageSendNotification): Promise<void> {
    const put = async (file: Blob, type: number, key: string, name: string): Promise<any> => {
      const s = this.session;
      if (!s) throw E.notLoggedIn();
      const q = new URLSearchParams({ userID: s.userID, type: String(type), fileName: name, uploadKey: key });
      let res: Response;
      try {
        res = await fetch(`${httpBase()}/media/upload?${q}`, { method: 'POST', headers: s.token ? { Authorization: `Bearer ${s.token}` } : {}, body: file });
      } catch {
        throw { code: ZIMErrorCode.NetworkModuleNetworkError, message: 'the upload could not reach the server' } as ZIMError;
      }
      let body: any = {};
      try {
        body = await res.json();
      } catch {
        /* not JSON */
      }
      if (!res.ok) throw { code: typeof body.code === 'number' ? body.code : ZIMErrorCode.MessageModuleFileServerError, message: body.message || `upload failed (HTTP ${res.status})` } as ZIMError;
      return body;
    };
    const file = m.fileLocalPath;
    if (typeof Blob === 'undefined' || !(file instanceof Blob)) throw E.params('fileLocalPath (a File or Blob)');
    const name: string = m.fileName || (file as any).name || 'file';
    const total = file.size;
    notification?.onMediaUploadingProgress?.(m, 0, total);
    if (m.type === ZIMMessageType.Video && m.videoFirstFrameLocalPath instanceof Blob) {
      const ff = await put(m.videoFirstFrameLocalPath, ZIMMessageType.Image, `${m.localMessageID}-ff`, 'first-frame');
      m.videoFirstFrameDownloadUrl = ff.fileDownloadUrl;
    }
    const up = await put(file, m.type, m.localMessageID, name);
    for (const k of ['fileUID', 'fileName', 'fileSize', 'fileDownloadUrl', 'originalImageWidth', 'originalImageHeight', 'largeImageDownloadUrl',
      'largeImageWidth', 'largeImageHeight', 'thumbnailDownloadUrl', 'thumbnailWidth', 'thumbnailHeight']) {
      if (up[k] !== undefined) m[k] = up[k];
    }
    notification?.onMediaUploadingProgress?.(m, total, total);
  }

  private send(method: string, message: ZIMMessage, rest: Record<string, unknown>, convID: string, convType: number, notification?: ZIMMessageSendNotification): Promise<ZIMMessageSentResult> {
    if (!message || typeof message !== 'object') return Promise.reject(E.params('message'));
    if (typeof convID !== 'string' || !convID) return Promise.reject(E.params('toConversationID'));
    const m = message as any;
    if (!m.localMessageID) m.localMessageID = this.newLocalMessageID();
    const media = MEDIA_TYPES.has(m.type) && m.fileLocalPath !== undefined && !m.fileUID;
    // On the wire: what the app set (the server ignores fields it does not take and
    // sets the sender, IDs and times itself), not the SDK's bookkeeping below.
    const wireOf = () => {
      const wire: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(m)) if (!SDK_MESSAGE_FIELDS.has(k) && typeof v !== 'function' && !(typeof Blob !== 'undefined' && v instanceof Blob)) wire[k] = v;
      return wire;
    };
    const wire = media ? {} : wireOf();
    m.sentStatus = ZIMMessageSentStatus.Sending;
    m.direction = 0;
    m.conversationID = convID;
    m.conversationType = convType;
    if (this.session) m.senderUserID = this.session.userID;
    if (!m.timestamp) m.timestamp = Date.now();
    try {
      notification?.onMessageAttached?.(m);
    } catch (e) {
      console.error('parley: onMessageAttached threw', e);
    }
    this.emit('messageSentStatusChanged', { infos: [{ status: ZIMMessageSentStatus.Sending, message: m, reason: '' }] });
    // Stored messages are idempotent by localMessageID: resent after a reconnect.
    const resendable = convType !== ZIMConversationType.Room && m.type !== ZIMMessageType.Command && m.type !== ZIMMessageType.Barrage;
    const sent = media
      ? this.uploadMedia(m, notification).then(() => this._invoke(method, { message: wireOf(), ...rest }, { resendable, localMessageID: m.localMessageID }))
      : this._invoke(method, { message: wire, ...rest }, { resendable, localMessageID: m.localMessageID });
    return sent.then(
      (res) => {
        Object.assign(m, res?.message ?? {});
        m.sentStatus = ZIMMessageSentStatus.Success;
        this.emit('messageSentStatusChanged', { infos: [{ status: ZIMMessageSentStatus.Success, message: m, reason: '' }] });
        return { message: m };
      },
      (e: ZIMError) => {
        m.sentStatus = ZIMMessageSentStatus.Failed;
        this.emit('messageSentStatusChanged', { infos: [{ status: ZIMMessageSentStatus.Failed, message: m, reason: e.message }] });
        throw e;
      },
    );
  }

  /** Cancels a message still waiting to be sent (queued while reconnecting or behind the window). */
  cancelSendingMessage(message: ZIMMessage, _config: ZIMSendingMessageCancelConfig): Promise<void> {
    const lid = (message as any)?.localMessageID;
    const i = this.queue.findIndex((r) => r.localMessageID && r.localMessageID === lid);
    if (!lid || i < 0) return Promise.reject(E.notCancellable());
    const [r] = this.queue.splice(i, 1);
    r.reject(E.cancelled());
    return Promise.resolve();
  }

  /** Sets the message's local extended data on the object (the SDK keeps no local database). */
  updateMessageLocalExtendedData(localExtendedData: string, message: ZIMMessage): Promise<ZIMMessageLocalExtendedDataUpdatedResult> {
    if (!message || typeof message !== 'object') return Promise.reject(E.params('message'));
    (message as any).localExtendedData = localExtendedData;
    return Promise.resolve({ message });
  }

  // ---- overloads and client-side methods ----

  queryGroupList(): Promise<ZIMGroupListQueriedResult>;
  queryGroupList(count: number, config: ZIMGroupListQueryConfig): Promise<ZIMGroupListQueriedResult>;
  async queryGroupList(count?: number, config?: ZIMGroupListQueryConfig): Promise<ZIMGroupListQueriedResult> {
    if (count !== undefined) return this._invoke('queryGroupList', { count, config });
    // The no-argument form lists every group: page through.
    const groupList: any[] = [];
    let nextFlag = 0;
    for (let i = 0; i < 1000; i++) {
      const r = await this._invoke('queryGroupList', { count: 100, config: { nextFlag } });
      groupList.push(...(r?.groupList ?? []));
      nextFlag = r?.nextFlag ?? 0;
      if (!nextFlag) break;
    }
    return { groupList, nextFlag: 0 };
  }

  /** ZIM's return type is void: failures are reported through the `error` event. */
  beginRoomAttributesBatchOperation(roomID: string, config: ZIMRoomAttributesBatchOperationConfig): void {
    this._invoke('beginRoomAttributesBatchOperation', { roomID, config }, { resendable: false }).catch((e) => {
      if (isError(e)) this.emit('error', e);
    });
  }

  insertMessageToLocalDB(_message: ZIMMessage, _conversationID: string, _conversationType: ZIMConversationTypeT, _senderUserID: string): Promise<ZIMMessageInsertedResult> {
    return Promise.reject(E.unsupported('insertMessageToLocalDB (no local database)'));
  }
  searchLocalConversations(_config: ZIMConversationSearchConfig): Promise<ZIMConversationsSearchedResult> {
    return Promise.reject(E.unsupported('searchLocalConversations (no local database)'));
  }
  searchLocalMessages(_conversationID: string, _conversationType: ZIMConversationTypeT, _config: ZIMMessageSearchConfig): Promise<ZIMMessagesSearchedResult> {
    return Promise.reject(E.unsupported('searchLocalMessages (no local database)'));
  }
  searchGlobalLocalMessages(_config: ZIMMessageSearchConfig): Promise<ZIMMessagesGlobalSearchedResult> {
    return Promise.reject(E.unsupported('searchGlobalLocalMessages (no local database)'));
  }
  searchLocalGroups(_config: ZIMGroupSearchConfig): Promise<ZIMGroupsSearchedResult> {
    return Promise.reject(E.unsupported('searchLocalGroups (no local database)'));
  }
  searchLocalGroupMembers(_groupID: string, _config: ZIMGroupMemberSearchConfig): Promise<ZIMGroupMembersSearchedResult> {
    return Promise.reject(E.unsupported('searchLocalGroupMembers (no local database)'));
  }
  searchLocalFriends(_config: ZIMFriendSearchConfig): Promise<ZIMFriendsSearchedResult> {
    return Promise.reject(E.unsupported('searchLocalFriends (no local database)'));
  }
}
