package client

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// UploadResult is what an upload answers (docs/PROTOCOL.md#media): put FileUID (or
// FileDownloadUrl) in a media message's fields to send the file.
type UploadResult struct {
	FileUID               string `json:"fileUID"`
	FileName              string `json:"fileName"`
	FileSize              int64  `json:"fileSize"`
	ContentType           string `json:"contentType"`
	FileDownloadUrl       string `json:"fileDownloadUrl"`
	OriginalImageWidth    int32  `json:"originalImageWidth"`
	OriginalImageHeight   int32  `json:"originalImageHeight"`
	LargeImageDownloadUrl string `json:"largeImageDownloadUrl"`
	LargeImageWidth       int32  `json:"largeImageWidth"`
	LargeImageHeight      int32  `json:"largeImageHeight"`
	ThumbnailDownloadUrl  string `json:"thumbnailDownloadUrl"`
	ThumbnailWidth        int32  `json:"thumbnailWidth"`
	ThumbnailHeight       int32  `json:"thumbnailHeight"`
}

// UploadOptions tune UploadMedia.
type UploadOptions struct {
	// UploadKey makes the upload retry-safe: the same key answers the same file.
	UploadKey string
	// HTTPClient defaults to http.DefaultClient.
	HTTPClient *http.Client
}

// HTTPBase is the http(s) base URL of the server the client is connected to.
func (c *Client) HTTPBase() string {
	c.mu.Lock()
	u := c.urls[c.urlIdx]
	c.mu.Unlock()
	u = strings.TrimSuffix(u, "/ws")
	if rest, ok := strings.CutPrefix(u, "wss://"); ok {
		return "https://" + rest
	}
	return "http://" + strings.TrimPrefix(u, "ws://")
}

// UploadMedia uploads a file for a media message of msgType (11 image, 12 file, 13
// audio, 14 video) as the logged-in user; size is the body's length or -1. Refusals
// are *Error with ZIM's code (6000214 too large, 6000213 wrong type, 6000005 quota…).
func (c *Client) UploadMedia(ctx context.Context, msgType int32, fileName string, body io.Reader, size int64, opt *UploadOptions) (*UploadResult, error) {
	c.mu.Lock()
	cr := c.creds
	c.mu.Unlock()
	if cr == nil {
		return nil, &Error{Code: 6000121, Message: "not logged in"}
	}
	if opt == nil {
		opt = &UploadOptions{}
	}
	q := url.Values{"userID": {cr.userID}, "type": {strconv.Itoa(int(msgType))}, "fileName": {fileName}}
	if opt.UploadKey != "" {
		q.Set("uploadKey", opt.UploadKey)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.HTTPBase()+"/media/upload?"+q.Encode(), body)
	if err != nil {
		return nil, err
	}
	req.ContentLength = size
	if size == 0 {
		req.Body = http.NoBody
	}
	if size > 0 {
		// A refusal from the declared size (too large, over the quota) comes before
		// the body is sent.
		req.Header.Set("Expect", "100-continue")
	}
	if cr.token != "" {
		req.Header.Set("Authorization", "Bearer "+cr.token)
	}
	hc := opt.HTTPClient
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, readMediaError(resp)
	}
	res := &UploadResult{}
	if err := json.NewDecoder(resp.Body).Decode(res); err != nil {
		return nil, err
	}
	return res, nil
}

func readMediaError(resp *http.Response) error {
	e := &Error{}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 4096)).Decode(e); err != nil || e.Code == 0 {
		return fmt.Errorf("client: HTTP %s", resp.Status)
	}
	return e
}

// DownloadMedia fetches a download URL whole.
func DownloadMedia(ctx context.Context, hc *http.Client, u string) ([]byte, error) {
	if hc == nil {
		hc = http.DefaultClient
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, readMediaError(resp)
	}
	return io.ReadAll(resp.Body)
}
