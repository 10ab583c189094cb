// Type test: parley's SDK is assignable to the ZIM type of the real zego-zim-web@2.29.0
// declarations (npm devDependency). Compiled with `tsc -p test/tsconfig.compat.json`;
// any missing method or event, or a signature that does not fit, fails the compile.
import type * as Real from 'zego-zim-web';
import { ZIM as ParleyZIM } from '../src/index';
import * as Parley from '../src/index';

// The instance side: every abstract method of ZIM, both login overloads, on/off with
// every event name and listener type.
declare const parley: ParleyZIM;
export const asZIM: Real.ZIM = parley;

// The static side.
type Statics = Pick<typeof Real.ZIM, 'getVersion' | 'create' | 'getInstance' | 'setAdvancedConfig' | 'setGeofencingConfig'>;
export const statics: Statics = ParleyZIM;

// Every event name of ZIM's handler is one parley's `on` accepts, with ZIM's listener type.
type EventNames = keyof Real.ZIMEventHandler;
export const everyEvent: EventNames extends keyof Parley.ParleyEventHandler ? true : never = true;
export function listen<K extends keyof Real.ZIMEventHandler>(k: K, l: Real.ZIMEventHandler[K]): void {
  asZIM.on(k, l);
  parley.on(k, l as any);
}

// Enum values are ZIM's (a few spot checks; the enums are generated from the declarations).
const check = <T>(_a: T, _b: T) => {};
check<number>(Parley.ZIMConversationType.Group, 2 as Real.ZIMConversationType.Group);
check<number>(Parley.ZIMErrorCode.CommonModuleUnsupportedRequest, 6000013);
check<number>(Parley.ZIMConnectionEvent.KickedOut, 4);

// An app written for zego-zim-web compiles against parley by changing its import.
async function app(zim: Real.ZIM) {
  zim.on('peerMessageReceived', (_z, { messageList, fromConversationID }) => {
    void messageList; void fromConversationID;
  });
  zim.on('connectionStateChanged', (_z, { state, event }) => { void state; void event; });
  await zim.login({ userID: 'a', userName: 'A', userAvatarUrl: '', userExtendedData: '' }, 'token');
  await zim.login('a', { userName: 'A', token: '', isOfflineLogin: false, customStatus: '', customStatusDuration: 0 });
  const msg: Real.ZIMMessage = { type: 1, message: 'hi' } as Real.ZIMMessage;
  const r = await zim.sendMessage(msg, 'bob', 0, { priority: 1 });
  void r.message.messageID;
  zim.off('peerMessageReceived');
}
void app;
