// parley's community API (Discord-style communities and channels; docs/PROTOCOL.md
// "Communities"). zego-zim-web 2.29.0 does not declare these methods; they follow ZIM's
// conventions (parameter names as the server's, results with ZIM field names).
import { ZIMForwardedAPI } from './api.gen';

export type ZIMCommunityResult = any;

export abstract class ParleyCommunityAPI extends ZIMForwardedAPI {
  createCommunity(communityInfo: { communityID?: string; communityName: string; communityAvatarUrl?: string }, config?: { communityNotice?: string; communityAttributes?: Record<string, string> }): Promise<ZIMCommunityResult> {
    return this._invoke('createCommunity', { communityInfo, config });
  }
  dismissCommunity(communityID: string): Promise<ZIMCommunityResult> {
    return this._invoke('dismissCommunity', { communityID });
  }
  joinCommunity(communityID: string): Promise<ZIMCommunityResult> {
    return this._invoke('joinCommunity', { communityID });
  }
  leaveCommunity(communityID: string): Promise<ZIMCommunityResult> {
    return this._invoke('leaveCommunity', { communityID });
  }
  queryCommunityList(count: number, config?: { nextFlag: number }): Promise<ZIMCommunityResult> {
    return this._invoke('queryCommunityList', { count, config });
  }
  queryCommunityInfo(communityID: string): Promise<ZIMCommunityResult> {
    return this._invoke('queryCommunityInfo', { communityID });
  }
  updateCommunityName(communityName: string, communityID: string): Promise<ZIMCommunityResult> {
    return this._invoke('updateCommunityName', { communityName, communityID });
  }
  updateCommunityAvatarUrl(communityAvatarUrl: string, communityID: string): Promise<ZIMCommunityResult> {
    return this._invoke('updateCommunityAvatarUrl', { communityAvatarUrl, communityID });
  }
  updateCommunityNotice(communityNotice: string, communityID: string): Promise<ZIMCommunityResult> {
    return this._invoke('updateCommunityNotice', { communityNotice, communityID });
  }
  setCommunityAttributes(attributes: Record<string, string>, communityID: string): Promise<ZIMCommunityResult> {
    return this._invoke('setCommunityAttributes', { attributes, communityID });
  }
  deleteCommunityAttributes(keys: string[], communityID: string): Promise<ZIMCommunityResult> {
    return this._invoke('deleteCommunityAttributes', { keys, communityID });
  }
  setCommunityNotificationStatus(status: number, communityID: string): Promise<ZIMCommunityResult> {
    return this._invoke('setCommunityNotificationStatus', { status, communityID });
  }
  inviteUsersIntoCommunity(userIDs: string[], communityID: string): Promise<ZIMCommunityResult> {
    return this._invoke('inviteUsersIntoCommunity', { userIDs, communityID });
  }
  kickCommunityMembers(userIDs: string[], communityID: string): Promise<ZIMCommunityResult> {
    return this._invoke('kickCommunityMembers', { userIDs, communityID });
  }
  setCommunityMemberRole(role: number, forUserID: string, communityID: string): Promise<ZIMCommunityResult> {
    return this._invoke('setCommunityMemberRole', { role, forUserID, communityID });
  }
  transferCommunityOwner(toUserID: string, communityID: string): Promise<ZIMCommunityResult> {
    return this._invoke('transferCommunityOwner', { toUserID, communityID });
  }
  queryCommunityMemberList(communityID: string, config: { count: number; nextFlag: number }): Promise<ZIMCommunityResult> {
    return this._invoke('queryCommunityMemberList', { communityID, config });
  }
  queryCommunityMemberInfo(userID: string, communityID: string): Promise<ZIMCommunityResult> {
    return this._invoke('queryCommunityMemberInfo', { userID, communityID });
  }
  muteCommunityMembers(isMute: boolean, userIDs: string[], communityID: string, config?: { duration: number }): Promise<ZIMCommunityResult> {
    return this._invoke('muteCommunityMembers', { isMute, userIDs, communityID, config });
  }
  createCommunityChannel(channelInfo: { channelID?: string; channelName: string; channelAvatarUrl?: string }, config: { channelType?: number; channelNotice?: string; channelAttributes?: Record<string, string>; userIDs?: string[] } | undefined, communityID: string): Promise<ZIMCommunityResult> {
    return this._invoke('createCommunityChannel', { channelInfo, config, communityID });
  }
  dismissCommunityChannel(channelID: string, communityID: string): Promise<ZIMCommunityResult> {
    return this._invoke('dismissCommunityChannel', { channelID, communityID });
  }
  updateCommunityChannelName(channelName: string, channelID: string, communityID: string): Promise<ZIMCommunityResult> {
    return this._invoke('updateCommunityChannelName', { channelName, channelID, communityID });
  }
  updateCommunityChannelAvatarUrl(channelAvatarUrl: string, channelID: string, communityID: string): Promise<ZIMCommunityResult> {
    return this._invoke('updateCommunityChannelAvatarUrl', { channelAvatarUrl, channelID, communityID });
  }
  updateCommunityChannelNotice(channelNotice: string, channelID: string, communityID: string): Promise<ZIMCommunityResult> {
    return this._invoke('updateCommunityChannelNotice', { channelNotice, channelID, communityID });
  }
  setCommunityChannelAttributes(attributes: Record<string, string>, channelID: string, communityID: string): Promise<ZIMCommunityResult> {
    return this._invoke('setCommunityChannelAttributes', { attributes, channelID, communityID });
  }
  deleteCommunityChannelAttributes(keys: string[], channelID: string, communityID: string): Promise<ZIMCommunityResult> {
    return this._invoke('deleteCommunityChannelAttributes', { keys, channelID, communityID });
  }
  queryCommunityChannelList(communityID: string, config: { count: number; nextFlag: number }): Promise<ZIMCommunityResult> {
    return this._invoke('queryCommunityChannelList', { communityID, config });
  }
  queryCommunityChannelInfo(channelID: string, communityID: string): Promise<ZIMCommunityResult> {
    return this._invoke('queryCommunityChannelInfo', { channelID, communityID });
  }
  muteCommunityChannels(isMute: boolean, channelIDs: string[], communityID: string, config?: { mode: number; roles?: number[]; duration: number }): Promise<ZIMCommunityResult> {
    return this._invoke('muteCommunityChannels', { isMute, channelIDs, communityID, config });
  }
  inviteUsersIntoCommunityChannel(userIDs: string[], channelID: string, communityID: string): Promise<ZIMCommunityResult> {
    return this._invoke('inviteUsersIntoCommunityChannel', { userIDs, channelID, communityID });
  }
  kickCommunityChannelMembers(userIDs: string[], channelID: string, communityID: string): Promise<ZIMCommunityResult> {
    return this._invoke('kickCommunityChannelMembers', { userIDs, channelID, communityID });
  }
  queryCommunityChannelMemberList(channelID: string, communityID: string, config: { count: number; nextFlag: number }): Promise<ZIMCommunityResult> {
    return this._invoke('queryCommunityChannelMemberList', { channelID, communityID, config });
  }
}

/** parley's community events (in addition to ZIM's). */
export interface ParleyCommunityEventHandler {
  communityChannelMessageReceived: (zim: any, data: any) => void;
  communityListChanged: (zim: any, data: any) => void;
  communityInfoUpdated: (zim: any, data: any) => void;
  communityMemberStateChanged: (zim: any, data: any) => void;
  communityMemberInfoUpdated: (zim: any, data: any) => void;
  communityChannelListChanged: (zim: any, data: any) => void;
  communityChannelInfoUpdated: (zim: any, data: any) => void;
}
