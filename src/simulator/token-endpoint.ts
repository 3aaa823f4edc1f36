import { type Reply, jsonReply } from './http.js';
import type { TokenRegistry } from './tokens.js';

/** Path of the OAuth2 token endpoint, as on HPE GreenLake SSO. */
export const TOKEN_PATH = '/as/token.oauth2';

/** Parts of a token request that the endpoint reads. */
export interface TokenRequest {
  method: string;
  authorization: string | undefined;
  mediaType: string;
  body: string;
}

// RFC 6749, section 5.1: token responses must not be cached.
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

/**
 * Handles an OAuth2 client-credentials token request (RFC 6749, section 4.4). The client
 * authenticates with `client_id` and `client_secret` in the form body, or with HTTP Basic.
 */
export function handleTokenRequest(request: TokenRequest, registry: TokenRegistry, now: number): Reply {
  if (request.method !== 'POST') {
    return oauthError(405, 'invalid_request', `The token endpoint accepts only POST, not ${request.method}.`, { allow: 'POST' });
  }
  if (request.mediaType !== 'application/x-www-form-urlencoded') {
    return oauthError(
      400,
      'invalid_request',
      'The token request body must be form-encoded: send Content-Type: application/x-www-form-urlencoded.',
    );
  }

  const form = new URLSearchParams(request.body);
  const grantType = form.get('grant_type');
  if (grantType === null || grantType === '') {
    return oauthError(400, 'invalid_request', 'The grant_type parameter is missing: send grant_type=client_credentials.');
  }
  if (grantType !== 'client_credentials') {
    return oauthError(400, 'unsupported_grant_type', `The grant type "${grantType}" is not supported: send grant_type=client_credentials.`);
  }

  const basic = basicCredentials(request.authorization);
  const formId = form.get('client_id');
  const formSecret = form.get('client_secret');
  if (basic !== undefined && (formId !== null || formSecret !== null)) {
    return oauthError(400, 'invalid_request', 'The client authenticated twice: send the credentials either in the form body or with HTTP Basic, not both.');
  }

  const clientId = basic?.clientId ?? formId ?? '';
  const clientSecret = basic?.clientSecret ?? formSecret ?? '';
  const challenge: Record<string, string> = basic === undefined ? {} : { 'www-authenticate': 'Basic realm="token"' };
  if (clientId === '' || clientSecret === '') {
    return oauthError(401, 'invalid_client', 'Client authentication failed: client_id or client_secret is missing.', challenge);
  }
  if (!registry.authenticateClient(clientId, clientSecret)) {
    return oauthError(
      401,
      'invalid_client',
      'Client authentication failed: the client_id is unknown or the client_secret is wrong. Check the credentials of the API client.',
      challenge,
    );
  }

  const accessToken = registry.issue(clientId, now);
  return jsonReply(200, { access_token: accessToken, token_type: 'Bearer', expires_in: registry.expiresInSeconds }, NO_STORE);
}

function oauthError(status: number, error: string, description: string, headers: Record<string, string> = {}): Reply {
  return jsonReply(status, { error, error_description: description }, { ...NO_STORE, ...headers });
}

// RFC 6749, section 2.3.1: the id and secret are form-encoded before they are joined and base64-encoded.
function basicCredentials(authorization: string | undefined): { clientId: string; clientSecret: string } | undefined {
  const match = /^Basic[ ]+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '');
  if (match?.[1] === undefined) return undefined;

  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return undefined;
  const decode = (text: string) => {
    try {
      return decodeURIComponent(text.replace(/\+/g, ' '));
    } catch {
      return text;
    }
  };
  return { clientId: decode(decoded.slice(0, colon)), clientSecret: decode(decoded.slice(colon + 1)) };
}
