export * from './api.gen';
export * from './types';
export { ZIM, VERSION, ADVANCED_KEYS } from './zim';
export type { ParleyEventHandler } from './zim';
export type { ParleyCommunityEventHandler, ZIMCommunityResult } from './community';
import { ZIM } from './zim';
export default ZIM;
