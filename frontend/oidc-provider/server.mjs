// A real OpenID Connect provider (panva's oidc-provider) for the Registry's tests: it runs on
// 127.0.0.1 with no Docker and no internet, so sign-in through an external identity provider is
// tested end to end. Test-only: it accepts any login name and any password.
//
//   node frontend/oidc-provider/server.mjs --port 4010 --redirect-uri http://127.0.0.1:8000/api/v1/auth/oidc/callback
//
// Flags may instead come from the environment: OIDC_PROVIDER_PORT, OIDC_PROVIDER_REDIRECT_URIS
// (whitespace-separated). The issuer is http://127.0.0.1:<port>; the client is `registry` with the
// secret `registry-test-secret`. Prints "oidc-provider listening on <issuer>" once it serves.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';

// oidc-provider announces, rightly, that the in-memory store, the development login pages and
// Node 20 are not for production, on every start and in every test log. Here they are the point.
for (const method of ['info', 'warn']) {
  const original = console[method];
  console[method] = (first, ...rest) => {
    if (typeof first === 'string' && /^(\x1b\[[0-9;]*m)?oidc-provider (NOTICE|WARNING):/.test(first)) return;
    original(first, ...rest);
  };
}
// Imported only now, so that the filter above also catches the warnings it prints on import.
const { default: Provider } = await import('oidc-provider');

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.OIDC_PROVIDER_PORT },
    'redirect-uri': {
      type: 'string',
      multiple: true,
      default: (process.env.OIDC_PROVIDER_REDIRECT_URIS ?? '').split(/\s+/).filter(Boolean),
    },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port <= 0) throw new Error('give --port N (or OIDC_PROVIDER_PORT)');
if (values['redirect-uri'].length === 0) throw new Error('give at least one --redirect-uri URI');
const issuer = `http://127.0.0.1:${port}`;

// A fresh key with a fresh kid on every start: restarting the provider is how the tests rotate
// its signing key (its JWKS then holds only the new key).
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: randomBytes(8).toString('hex'), alg: 'RS256', use: 'sig' };

// Fixed users cover the Registry's role and group mapping: roles and groups, read-only with no
// group, and no such claims at all. Any other login name is a user with only a name.
const USERS = {
  alice: { name: 'Alice Federated', email: 'alice@example.org', registry_roles: ['registry-write'], registry_groups: ['Hydrology'] },
  bob: { name: 'Bob Federated', email: 'bob@example.org', registry_roles: ['registry-read'], registry_groups: [] },
  carol: { name: 'Carol Norole', email: 'carol@example.org' },
};

const provider = new Provider(issuer, {
  clients: [{
    client_id: 'registry',
    client_secret: 'registry-test-secret',
    // The provider also accepts client_secret_post from a client registered for basic.
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['authorization_code'],
    response_types: ['code'],
    redirect_uris: values['redirect-uri'],
  }],
  jwks: { keys: [signingKey] },
  // By default only public clients must send PKCE; the Registry must too (S256 is the only method).
  pkce: { required: () => true },
  claims: {
    openid: ['sub'],
    profile: ['preferred_username', 'name', 'registry_roles', 'registry_groups'],
    email: ['email'],
  },
  // The Registry reads the claims from the ID token only; by the letter of OIDC Core a code flow
  // would put scope-requested claims in the userinfo response alone.
  conformIdTokenClaims: false,
  async findAccount(ctx, sub) {
    return {
      accountId: sub,
      async claims() {
        return { sub, preferred_username: sub, ...USERS[sub] };
      },
    };
  },
  // The development login and consent pages stand in for a real provider's own pages.
  features: { devInteractions: { enabled: true } },
  // Cookies ignore ports, so the Registry on 127.0.0.1 sees these too: prefixed names keep the
  // provider's defaults (_session, _interaction) from meeting the Registry's own.
  cookies: {
    keys: [randomBytes(32).toString('hex')],
    names: { session: 'oidc_provider_session', interaction: 'oidc_provider_interaction', resume: 'oidc_provider_resume' },
  },
  ttl: { AccessToken: 3600, AuthorizationCode: 60, IdToken: 3600, Interaction: 600, Session: 3600, Grant: 3600 },
});

// The development pages import a Google font; with no internet a browser would stall on it.
provider.use(async (ctx, next) => {
  await next();
  if (typeof ctx.body === 'string' && ctx.response.is('html')) {
    ctx.body = ctx.body.replace(/@import url\(https:\/\/fonts\.googleapis\.com[^)]*\);/g, '');
  }
});

const server = provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer}`);
});

process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  // A browser's keep-alive connections would otherwise hold the close open.
  server.closeAllConnections();
});
