// Makes what an agent written in another language would make for Writ's registered-key attestation
// (RFC 7523 JWT bearer), with jose rather than Writ's own code.
//
//   node assertion.mjs keygen
//       prints {"privateJwk":{...},"publicJwk":{...}}: a new EC P-256 key pair
//   node assertion.mjs sign --kid <kid> --sub <spiffe id> --aud <token endpoint> [--iss <issuer>] [--lifetime <seconds>]  < private JWK
//       prints a compact ES256 JWT with a fresh jti and iat now; iss = sub (an agent's own assertion)
//       unless --iss names another issuer (a token from a trusted external issuer, e.g. CI or Kubernetes)
import { exportJWK, generateKeyPair, importJWK, SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const [command, ...rest] = process.argv.slice(2);

if (command === 'keygen') {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const privateJwk = await exportJWK(privateKey);
  const publicJwk = await exportJWK(publicKey);
  process.stdout.write(JSON.stringify({ privateJwk, publicJwk }) + '\n');
} else if (command === 'sign') {
  const { values } = parseArgs({
    args: rest,
    options: {
      kid: { type: 'string' },
      sub: { type: 'string' },
      aud: { type: 'string' },
      iss: { type: 'string' },
      lifetime: { type: 'string', default: '120' },
    },
  });
  if (!values.kid || !values.sub || !values.aud) {
    process.stderr.write('sign needs --kid, --sub and --aud\n');
    process.exit(2);
  }
  const key = await importJWK(JSON.parse(readFileSync(0, 'utf8')), 'ES256');
  const now = Math.floor(Date.now() / 1000);
  const jwt = await new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', kid: values.kid, typ: 'JWT' })
    .setIssuer(values.iss ?? values.sub)
    .setSubject(values.sub)
    .setAudience(values.aud)
    .setIssuedAt(now)
    .setExpirationTime(now + Number(values.lifetime))
    .setJti(randomUUID())
    .sign(key);
  process.stdout.write(jwt + '\n');
} else {
  process.stderr.write('usage: node assertion.mjs keygen | sign --kid <kid> --sub <spiffe id> --aud <aud>\n');
  process.exit(2);
}
