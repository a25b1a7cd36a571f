// A real OAuth 2.0 / OpenID provider for Relaydeck's integration tests (oidc-provider from npm):
// public test clients with PKCE required, short-lived access tokens, refresh-token rotation,
// the device flow, introspection (for Dovecot's oauth2 passdb) and revocation. Plain http on
// 127.0.0.1 (Relaydeck allows http endpoints on loopback only).
//
//   node provider.mjs --port N --ready-file F [--access-ttl SECONDS] [--long-access-ttl SECONDS]
//                     [--grant-log FILE]
// writes the port to the ready file once it listens. relaydeck-test's access tokens live
// --access-ttl seconds, relaydeck-long's --long-access-ttl. With --grant-log every answer of the
// token endpoint appends its grant type (never a token) as a line: "refresh_token",
// "error:refresh_token", ...
import Provider from 'oidc-provider';
import { appendFileSync, writeFileSync } from 'node:fs';

const args = Object.fromEntries(
    process.argv.slice(2).reduce((pairs, value, i, all) =>
        (i % 2 === 0 ? [...pairs, [value.replace(/^--/, ''), all[i + 1]]] : pairs), []));
const port = Number(args.port || 0);
const accessTtl = Number(args['access-ttl'] || 30);
const longAccessTtl = Number(args['long-access-ttl'] || 600);
const issuer = `http://127.0.0.1:${port}`;

// A public (native) client that signs in with PKCE, refreshes, and may use the device flow.
const publicClient = (clientId) => ({
    client_id: clientId,
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    redirect_uris: ['http://127.0.0.1/'],
    grant_types: ['authorization_code', 'refresh_token',
                  'urn:ietf:params:oauth:grant-type:device_code'],
    response_types: ['code'],
});

const provider = new Provider(issuer, {
    clients: [
        publicClient('relaydeck-test'),
        // The same, with access tokens that live long enough to be reused from memory.
        publicClient('relaydeck-long'),
        {
            // The resource server (Dovecot) introspects tokens with these credentials.
            client_id: 'dovecot',
            client_secret: 'dovecot-introspection-secret',
            redirect_uris: [],
            grant_types: [],
            response_types: [],
        },
    ],
    scopes: ['openid', 'offline_access', 'smtp'],
    // 'smtp' is a scope with a claim so that the development consent grants it.
    claims: { openid: ['sub'], email: ['email'], smtp: ['email'] },
    findAccount: async (ctx, sub) => ({
        accountId: sub,
        claims: async () => ({ sub, email: sub, preferred_username: sub }),
    }),
    pkce: { required: () => true, methods: ['S256'] },
    rotateRefreshToken: true,
    issueRefreshToken: async (ctx, client) => client.grantTypeAllowed('refresh_token'),
    ttl: {
        AccessToken: (ctx, token, client) =>
            (client && client.clientId === 'relaydeck-long' ? longAccessTtl : accessTtl),
        AuthorizationCode: 60,
        DeviceCode: 300,
        IdToken: 3600,
        RefreshToken: 24 * 3600,
        Grant: 24 * 3600,
        Interaction: 600,
        Session: 3600,
    },
    features: {
        devInteractions: { enabled: true }, // plain HTML login and consent forms
        deviceFlow: { enabled: true },
        introspection: { enabled: true },
        revocation: { enabled: true },
    },
});
provider.proxy = false;
if (args['grant-log']) {
    const log = (line) => appendFileSync(args['grant-log'], `${line}\n`);
    provider.on('grant.success', (ctx) => log(ctx.oidc.params.grant_type));
    provider.on('grant.error', (ctx) => log(`error:${ctx.oidc.params?.grant_type}`));
}

const server = provider.listen(port, '127.0.0.1', () => {
    const actual = server.address().port;
    if (args['ready-file'])
        writeFileSync(args['ready-file'], String(actual));
    process.stdout.write(`listening on ${actual}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
