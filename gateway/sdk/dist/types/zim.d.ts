import { ZIMConnectionState } from './api.gen';
import type { ZIMEventHandler, ZIMGeofencingType, ZIMGroupListQueryConfig, ZIMGroupListQueriedResult, ZIMLogConfig, ZIMMessage, ZIMMessageSendConfig, ZIMMessageSendNotification, ZIMMessageSentResult, ZIMRoomAttributesBatchOperationConfig, ZIMTokenRenewedResult, ZIMMessageInsertedResult, ZIMMessageLocalExtendedDataUpdatedResult, ZIMSendingMessageCancelConfig, ZIMConversationSearchConfig, ZIMConversationsSearchedResult, ZIMMessageSearchConfig, ZIMMessagesSearchedResult, ZIMMessagesGlobalSearchedResult, ZIMGroupSearchConfig, ZIMGroupsSearchedResult, ZIMGroupMemberSearchConfig, ZIMGroupMembersSearchedResult, ZIMFriendSearchConfig, ZIMFriendsSearchedResult, ZIMMediaMessageSendNotification, ZIMConversationType as ZIMConversationTypeT } from './api.gen';
import { ParleyCommunityAPI, type ParleyCommunityEventHandler } from './community';
import type { ZIMAppConfig, ZIMLoginConfig, ZIMLogoutConfig, ZIMUserInfo } from './types';
/** The SDK's version: ZIM's API version it implements, then parley's own. */
export declare const VERSION = "2.29.0-parley.0.1.0";
/** Every listener `on` accepts: ZIM's events and parley's community events. */
export interface ParleyEventHandler extends ZIMEventHandler, ParleyCommunityEventHandler {
}
/** setAdvancedConfig keys parley reads (every other key is accepted and ignored, as ZIM does). */
export declare const ADVANCED_KEYS: {
    /** The server: `ws://host:7480/ws`, `wss://…/ws`, or an http(s) base URL (`/ws` is added). */
    readonly server: 'parley_server';
    /** How long a request may wait for its reply, queued time included (ms, default 60000). */
    readonly requestTimeout: 'parley_request_timeout_ms';
    /** The platform the session logs in as (ZIMPlatformType number; default 6, Web). */
    readonly platform: 'parley_platform';
};
/**
 * ZIM's entry point. `ZIM.create(appID)` makes the instance, `ZIM.getInstance()` returns
 * it. parley addition: `new ZIM(appID)` makes further independent instances (several
 * users in one process, as tests and bots need).
 */
export declare class ZIM extends ParleyCommunityAPI {
    readonly appID: number;
    private listeners;
    private state;
    private session;
    private ws;
    private loggedIn;
    private nextID;
    private queue;
    private inflight;
    private loginWaiters;
    private attempt;
    private reconnectTimer;
    private ticker;
    private lastSent;
    private lastReceived;
    private keepaliveAt;
    private lidSeq;
    private readonly lidPrefix;
    private everConnected;
    private loginStartedAt;
    private destroyed;
    /** The last message sequence number seen per conversation (to catch up after a reconnect). */
    private lastSeq;
    /** The rooms this session is in (room membership belongs to the connection: re-entered after a reconnect). */
    private rooms;
    private reentering;
    constructor(appConfig: number | ZIMAppConfig);
    static getVersion(): string;
    /** Creates the instance (ZIM keeps one); null when one exists (use getInstance) or the app ID is invalid. */
    static create(appConfig: number | ZIMAppConfig): ZIM | null;
    static getInstance(): ZIM | null;
    /** ZIM's advanced settings; parley reads `parley_server` (the server URL) and the keys of ADVANCED_KEYS. */
    static setAdvancedConfig(key: string, value: string): void;
    /** Geofencing is a ZEGO cloud feature: not applied (returns false). */
    static setGeofencingConfig(_areaList: number[], _type: ZIMGeofencingType): boolean;
    /** Logging happens in the browser console; the config is accepted and ignored. */
    setLogConfig(_config: ZIMLogConfig): void;
    destroy(): void;
    /** Adds a listener (several per event may be added); ZIM's events and parley's community events. */
    on<K extends keyof ZIMEventHandler>(type: K, listener: ZIMEventHandler[K]): void;
    on<K extends keyof ParleyCommunityEventHandler>(type: K, listener: ParleyCommunityEventHandler[K]): void;
    /** Removes every listener of the event. */
    off<K extends keyof ZIMEventHandler>(type: K): void;
    off<K extends keyof ParleyCommunityEventHandler>(type: K): void;
    private emit;
    uploadLog(): Promise<void>;
    callExperimentalAPI(_params: string): Promise<string>;
    /** The connection state (parley addition; ZIM reports it through connectionStateChanged only). */
    getConnectionState(): ZIMConnectionState;
    login(userInfo: ZIMUserInfo, token: string): Promise<void>;
    login(userID: string, config: ZIMLoginConfig): Promise<void>;
    logout(_config?: ZIMLogoutConfig): void;
    renewToken(token: string): Promise<ZIMTokenRenewedResult>;
    private setState;
    private startTicker;
    private connect;
    private sendFrame;
    private onLoggedIn;
    /**
     * After a re-login: enters this session's rooms again, ahead of the calls that waited
     * for the connection (room messages among them). The server answers with
     * roomStateChanged Connected (2/Success); a room that cannot be entered again is
     * reported Disconnected (0/EnterFailed) and forgotten.
     */
    private reenterRooms;
    /** Keeps the set of rooms this session is in from the room calls' results. */
    private trackRooms;
    private onLoginRefused;
    private failLogin;
    /** Ends the session: closes the socket, fails every request, reports Disconnected. */
    private endSession;
    private onClosed;
    private scheduleReconnect;
    private tick;
    private pump;
    private onReply;
    /** Sends a request by ZIM method name with ZIM parameter names; rejects with ZIM's error object. */
    protected _invoke(method: string, params: Record<string, unknown>, opts?: {
        resendable?: boolean;
        localMessageID?: string;
        front?: boolean;
    }): Promise<any>;
    private onPush;
    /**
     * Whether a received message is delivered for the first time (and notes it): a live
     * push and the catch-up after a reconnect may both carry it. The sequence numbers of
     * the last SEEN_WINDOW messages of each conversation are kept.
     */
    private firstDelivery;
    /**
     * After a reconnect: what arrived while the connection was down is delivered as ZIM
     * delivers offline messages, as message-received events (for the conversations this
     * instance has seen messages of), then the conversation list and total unread count
     * are reported again.
     */
    private catchUp;
    private newLocalMessageID;
    sendMessage(message: ZIMMessage, toConversationID: string, conversationType: ZIMConversationTypeT, config: ZIMMessageSendConfig, notification?: ZIMMessageSendNotification): Promise<ZIMMessageSentResult>;
    replyMessage(message: ZIMMessage, toOriginalMessage: ZIMMessage, config: ZIMMessageSendConfig, notification?: ZIMMessageSendNotification): Promise<ZIMMessageSentResult>;
    /** Deprecated ZIM form: sendMessage to a user. */
    sendPeerMessage(message: ZIMMessage, toUserID: string, config: ZIMMessageSendConfig): Promise<ZIMMessageSentResult>;
    /** Deprecated ZIM form: sendMessage to a group. */
    sendGroupMessage(message: ZIMMessage, toGroupID: string, config: ZIMMessageSendConfig): Promise<ZIMMessageSentResult>;
    /** Deprecated ZIM form: sendMessage to a room. */
    sendRoomMessage(message: ZIMMessage, toRoomID: string, config: ZIMMessageSendConfig): Promise<ZIMMessageSentResult>;
    /** Deprecated ZIM form for media messages: sendMessage (which uploads a local file first). */
    sendMediaMessage(message: ZIMMessage, toConversationID: string, conversationType: ZIMConversationTypeT, config: ZIMMessageSendConfig, notification?: ZIMMediaMessageSendNotification): Promise<ZIMMessageSentResult>;
    /**
     * Uploads a media message's local file (a File or Blob in `fileLocalPath`, and a
     * video's `videoFirstFrameLocalPath`) to the server's upload endpoint
     * (POST /media/upload, docs/PROTOCOL.md "Media"), keyed by the localMessageID so that
     * a retry gets the same file, and fills the message's fileUID and URLs.
     */
    private uploadMedia;
    private send;
    /** Cancels a message still waiting to be sent (queued while reconnecting or behind the window). */
    cancelSendingMessage(message: ZIMMessage, _config: ZIMSendingMessageCancelConfig): Promise<void>;
    /** Sets the message's local extended data on the object (the SDK keeps no local database). */
    updateMessageLocalExtendedData(localExtendedData: string, message: ZIMMessage): Promise<ZIMMessageLocalExtendedDataUpdatedResult>;
    queryGroupList(): Promise<ZIMGroupListQueriedResult>;
    queryGroupList(count: number, config: ZIMGroupListQueryConfig): Promise<ZIMGroupListQueriedResult>;
    /** ZIM's return type is void: failures are reported through the `error` event. */
    beginRoomAttributesBatchOperation(roomID: string, config: ZIMRoomAttributesBatchOperationConfig): void;
    insertMessageToLocalDB(_message: ZIMMessage, _conversationID: string, _conversationType: ZIMConversationTypeT, _senderUserID: string): Promise<ZIMMessageInsertedResult>;
    searchLocalConversations(_config: ZIMConversationSearchConfig): Promise<ZIMConversationsSearchedResult>;
    searchLocalMessages(_conversationID: string, _conversationType: ZIMConversationTypeT, _config: ZIMMessageSearchConfig): Promise<ZIMMessagesSearchedResult>;
    searchGlobalLocalMessages(_config: ZIMMessageSearchConfig): Promise<ZIMMessagesGlobalSearchedResult>;
    searchLocalGroups(_config: ZIMGroupSearchConfig): Promise<ZIMGroupsSearchedResult>;
    searchLocalGroupMembers(_groupID: string, _config: ZIMGroupMemberSearchConfig): Promise<ZIMGroupMembersSearchedResult>;
    searchLocalFriends(_config: ZIMFriendSearchConfig): Promise<ZIMFriendsSearchedResult>;
}
