// @parley-chat/zim: ZIM's web API (zego-zim-web 2.29.0) for the parley chat server.
// Switch an app by changing its import from 'zego-zim-web' to '@parley-chat/zim' and
// naming the server: ZIM.setAdvancedConfig('parley_server', 'wss://chat.example.com/ws').
export * from './api.gen';
export * from './types';
export { ZIM, VERSION, ADVANCED_KEYS } from './zim';
export type { ParleyEventHandler } from './zim';
export type { ParleyCommunityEventHandler, ZIMCommunityResult } from './community';
import { ZIM } from './zim';
export default ZIM;
