import { ZIMForwardedAPI } from './api.gen';
export type ZIMCommunityResult = any;
export declare abstract class ParleyCommunityAPI extends ZIMForwardedAPI {
    createCommunity(communityInfo: {
        communityID?: string;
        communityName: string;
        communityAvatarUrl?: string;
    }, config?: {
        communityNotice?: string;
        communityAttributes?: Record<string, string>;
    }): Promise<ZIMCommunityResult>;
    dismissCommunity(communityID: string): Promise<ZIMCommunityResult>;
    joinCommunity(communityID: string): Promise<ZIMCommunityResult>;
    leaveCommunity(communityID: string): Promise<ZIMCommunityResult>;
    queryCommunityList(count: number, config?: {
        nextFlag: number;
    }): Promise<ZIMCommunityResult>;
    queryCommunityInfo(communityID: string): Promise<ZIMCommunityResult>;
    updateCommunityName(communityName: string, communityID: string): Promise<ZIMCommunityResult>;
    updateCommunityAvatarUrl(communityAvatarUrl: string, communityID: string): Promise<ZIMCommunityResult>;
    updateCommunityNotice(communityNotice: string, communityID: string): Promise<ZIMCommunityResult>;
    setCommunityAttributes(attributes: Record<string, string>, communityID: string): Promise<ZIMCommunityResult>;
    deleteCommunityAttributes(keys: string[], communityID: string): Promise<ZIMCommunityResult>;
    setCommunityNotificationStatus(status: number, communityID: string): Promise<ZIMCommunityResult>;
    inviteUsersIntoCommunity(userIDs: string[], communityID: string): Promise<ZIMCommunityResult>;
    kickCommunityMembers(userIDs: string[], communityID: string): Promise<ZIMCommunityResult>;
    setCommunityMemberRole(role: number, forUserID: string, communityID: string): Promise<ZIMCommunityResult>;
    transferCommunityOwner(toUserID: string, communityID: string): Promise<ZIMCommunityResult>;
    queryCommunityMemberList(communityID: string, config: {
        count: number;
        nextFlag: number;
    }): Promise<ZIMCommunityResult>;
    queryCommunityMemberInfo(userID: string, communityID: string): Promise<ZIMCommunityResult>;
    muteCommunityMembers(isMute: boolean, userIDs: string[], communityID: string, config?: {
        duration: number;
    }): Promise<ZIMCommunityResult>;
    createCommunityChannel(channelInfo: {
        channelID?: string;
        channelName: string;
        channelAvatarUrl?: string;
    }, config: {
        channelType?: number;
        channelNotice?: string;
        channelAttributes?: Record<string, string>;
        userIDs?: string[];
    } | undefined, communityID: string): Promise<ZIMCommunityResult>;
    dismissCommunityChannel(channelID: string, communityID: string): Promise<ZIMCommunityResult>;
    updateCommunityChannelName(channelName: string, channelID: string, communityID: string): Promise<ZIMCommunityResult>;
    updateCommunityChannelAvatarUrl(channelAvatarUrl: string, channelID: string, communityID: string): Promise<ZIMCommunityResult>;
    updateCommunityChannelNotice(channelNotice: string, channelID: string, communityID: string): Promise<ZIMCommunityResult>;
    setCommunityChannelAttributes(attributes: Record<string, string>, channelID: string, communityID: string): Promise<ZIMCommunityResult>;
    deleteCommunityChannelAttributes(keys: string[], channelID: string, communityID: string): Promise<ZIMCommunityResult>;
    queryCommunityChannelList(communityID: string, config: {
        count: number;
        nextFlag: number;
    }): Promise<ZIMCommunityResult>;
    queryCommunityChannelInfo(channelID: string, communityID: string): Promise<ZIMCommunityResult>;
    muteCommunityChannels(isMute: boolean, channelIDs: string[], communityID: string, config?: {
        mode: number;
        roles?: number[];
        duration: number;
    }): Promise<ZIMCommunityResult>;
    inviteUsersIntoCommunityChannel(userIDs: string[], channelID: string, communityID: string): Promise<ZIMCommunityResult>;
    kickCommunityChannelMembers(userIDs: string[], channelID: string, communityID: string): Promise<ZIMCommunityResult>;
    queryCommunityChannelMemberList(channelID: string, communityID: string, config: {
        count: number;
        nextFlag: number;
    }): Promise<ZIMCommunityResult>;
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
