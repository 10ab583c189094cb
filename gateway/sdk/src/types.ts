// The shapes the SDK itself works with, written by hand (the generated api.gen.ts
// exports every other ZIM type name).

/** ZIM's error object: every rejected promise carries one. */
export interface ZIMError {
  code: number;
  message: string;
}

/** ZIM.create's argument: an app ID or `{appID}`. */
export interface ZIMAppConfig {
  appID: number;
  appSign?: string;
}

/** login(userID, config). */
export interface ZIMLoginConfig {
  userName: string;
  token: string;
  isOfflineLogin: boolean;
  customStatus?: string;
  customStatusDuration?: number;
}

/** login(userInfo, token) (the deprecated form, still used by many apps). */
export interface ZIMUserInfo {
  userID: string;
  userName: string;
  userAvatarUrl?: string;
  userExtendedData?: string;
}

export interface ZIMLogoutConfig {
  isClearDB: boolean;
}
