// A real OpenID Provider for the SSO tests: the certified oidc-provider, on loopback, with its own login page.
//
//   node provider.mjs CONFIG.json
//
// CONFIG.json (written by tests/sso/conftest.py): {"jwks": {"keys": [private JWKs]}, "clients": [oidc-provider
// client metadata], "accountsFile": path}. The accounts file, {"<login>": {"password", "claims": {"sub", ...}}},
// is read at every look-up, so a test can add people. It listens on a free port of 127.0.0.1, whose address is
// the issuer, prints "issuer <issuer>" once it answers, and runs until it is killed.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const accounts = () => JSON.parse(readFileSync(config.accountsFile, 'utf8'));

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
// Plain pages with nothing loaded from another host (the library's default pages import a web font).
const page = (title, body) => `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title></head>
<body><main><h1>${escape(title)}</h1>${body}</main></body></html>`;

const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: config.clients,
  jwks: config.jwks,
  cookies: { keys: ['sso-test-provider-cookie-key'] },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name', 'preferred_username'],
  },
  // Every client must use PKCE, so a client that forgets it fails the tests.
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      logoutSource: async (ctx, form) => {
        ctx.body = page('Sign out of the test provider?', `${form}
          <button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
          <button type="submit" form="op.logoutForm">No, stay signed in</button>`);
      },
      postLogoutSuccessSource: async (ctx) => { ctx.body = page('Signed out', '<p>You are signed out.</p>'); },
    },
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, sub) {
    const account = Object.values(accounts()).find((candidate) => candidate.claims.sub === sub);
    if (!account) return undefined;
    return { accountId: sub, async claims() { return { ...account.claims } } };
  },
  // The platform is a first-party client: consent to what it asks is implied, so there is no consent page.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope(ctx.oidc.requestParamScopes ? [...ctx.oidc.requestParamScopes].join(' ') : 'openid');
    await grant.save();
    return grant;
  },
  async renderError(ctx, out) {
    ctx.type = 'html';
    ctx.body = page('Error at the test provider', Object.entries(out).map(([k, v]) => `<p>${escape(k)}: ${escape(v)}</p>`).join(''));
  },
});

// Why the provider refused something, in the log the tests print when it fails to start.
for (const event of ['authorization.error', 'grant.error', 'end_session.error', 'userinfo.error', 'server_error']) {
  provider.on(event, (ctx, error) => console.error(event, error.message, error.error_description ?? '', error.cause ?? ''));
}

const loginForm = (uid, message = '') => page('Sign in to the test provider', `
  ${message ? `<p role="alert">${escape(message)}</p>` : ''}
  <form method="post" action="/interaction/${escape(uid)}/login">
    <label>Username <input name="login" autocomplete="off" required autofocus></label>
    <label>Password <input name="password" type="password" required></label>
    <button type="submit">Continue</button>
  </form>`);

async function readForm(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return new URLSearchParams(body);
}

async function interaction(req, res) {
  const [, , uid, action] = new URL(req.url, issuer).pathname.split('/');
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid || details.prompt.name !== 'login') {
    res.writeHead(400, { 'content-type': 'text/plain' }).end('unexpected interaction');
    return;
  }
  if (req.method === 'GET' && !action) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(loginForm(uid));
    return;
  }
  if (req.method === 'POST' && action === 'login') {
    const form = await readForm(req);
    const known = accounts();
    const account = Object.hasOwn(known, form.get('login')) ? known[form.get('login')] : undefined;
    if (!account || account.password !== form.get('password')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(loginForm(uid, 'Wrong username or password.'));
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId: account.claims.sub } }, { mergeWithLastSubmission: false });
    return;
  }
  res.writeHead(405).end();
}

const callback = provider.callback();
server.on('request', (req, res) => {
  if (req.url.startsWith('/interaction/')) {
    interaction(req, res).catch((error) => {
      console.error(error);
      if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain' });
      res.end(String(error.message));
    });
    return;
  }
  callback(req, res);
});
console.log(`issuer ${issuer}`);
process.on('SIGTERM', () => process.exit(0));
