// An independent OpenID Shared Signals receiver for Writ's tests. It shares no code with Writ and checks
// every Security Event Token with the jose library: ES256 only, typ "secevent+jwt", the expected iss and aud,
// the RFC 8417 claims, exactly one event, an RFC 9493 sub_id with its format's members, and the members CAEP 1.0
// and its interoperability profile require of the event.
//
// usage:
//   node receiver.mjs push --jwks <url> --issuer <iss> --audience <aud>|- --authorization <header value>
//     Listens on 127.0.0.1 (port chosen by the system), prints {"listening":<port>}, then one line per
//     verified SET {"jti":...,"payload":{...}}; answers 202, or 400/401 with {"err","description"} (RFC 8935).
//   node receiver.mjs poll --url <poll url> --token <bearer> --jwks <url> --issuer <iss> --audience <aud> --count <n>
//     Polls (RFC 8936, returnImmediately) and acknowledges until <n> SETs verified, printing one line each; exit 0.
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { createRemoteJWKSet, jwtVerify } from 'jose';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    jwks: { type: 'string' },
    issuer: { type: 'string' },
    audience: { type: 'string' },
    authorization: { type: 'string' },
    url: { type: 'string' },
    token: { type: 'string' },
    count: { type: 'string' },
  },
});

// --audience - : the audience arrives as the first line on stdin (a stream's audience is known only once it exists).
let audience = values.audience;
const audienceKnown = audience !== '-' ? Promise.resolve() : new Promise((resolve) => {
  let buffered = '';
  process.stdin.on('data', (chunk) => {
    buffered += chunk;
    const end = buffered.indexOf('\n');
    if (end >= 0 && audience === '-') {
      audience = buffered.slice(0, end).trim();
      resolve();
    }
  });
});

// No cooldown: a SET signed by a key the transmitter just created must find it at once.
const keys = createRemoteJWKSet(new URL(values.jwks), { cooldownDuration: 0 });

async function verify(set) {
  await audienceKnown;
  const { payload, protectedHeader } = await jwtVerify(set, keys, {
    issuer: values.issuer,
    audience,
    algorithms: ['ES256'],
    typ: 'secevent+jwt',
  });
  if (typeof payload.jti !== 'string' || typeof payload.iat !== 'number') {
    throw new Error('a SET needs jti and iat');
  }
  if (payload.exp !== undefined || payload.sub !== undefined) {
    throw new Error('a SET carries no exp and names its subject in sub_id');
  }
  if (typeof payload.events !== 'object' || Object.keys(payload.events).length !== 1) {
    throw new Error('a SET carries exactly one event');
  }
  if (typeof payload.sub_id !== 'object' || typeof payload.sub_id.format !== 'string') {
    throw new Error('a SET names its subject with an RFC 9493 sub_id');
  }
  checkSubject(payload.sub_id);
  const [type, event] = Object.entries(payload.events)[0];
  checkEvent(type, event, payload.sub_id);
  return { header: protectedHeader, payload };
}

// The members each RFC 9493 / SSF 1.0 subject identifier format requires, all strings.
const subjectMembers = {
  opaque: ['id'],
  email: ['email'],
  iss_sub: ['iss', 'sub'],
  uri: ['uri'],
  jwt_id: ['iss', 'jti'],
  phone_number: ['phone_number'],
  account: ['uri'],
};

function checkSubject(subject) {
  const required = subjectMembers[subject.format];
  if (!required) {
    throw new Error(`sub_id format ${subject.format} is not one this receiver knows`);
  }
  for (const member of required) {
    if (typeof subject[member] !== 'string' || subject[member].length === 0) {
      throw new Error(`a ${subject.format} sub_id needs a non-empty string ${member}`);
    }
  }
}

const caep = 'https://schemas.openid.net/secevent/caep/event-type/';
const ssf = 'https://schemas.openid.net/secevent/ssf/event-type/';

// CAEP 1.0 and the CAEP interoperability profile: reason_admin non-empty on session-revoked and
// credential-change, credential-change with its two required members, event_timestamp a number.
function checkEvent(type, event, subject) {
  if (typeof event !== 'object' || event === null) {
    throw new Error('an event is an object');
  }
  if (type === caep + 'session-revoked' || type === caep + 'credential-change') {
    const reasons = event.reason_admin;
    if (typeof reasons !== 'object' || reasons === null || Object.keys(reasons).length === 0
      || Object.values(reasons).some((text) => typeof text !== 'string' || text.length === 0)) {
      throw new Error('a CAEP event carries a non-empty reason_admin');
    }
    if (event.event_timestamp !== undefined && typeof event.event_timestamp !== 'number') {
      throw new Error('event_timestamp is a number');
    }
  }
  if (type === caep + 'credential-change') {
    if (typeof event.credential_type !== 'string' || !['create', 'revoke', 'update', 'delete'].includes(event.change_type)) {
      throw new Error('credential-change needs credential_type and a change_type of create, revoke, update or delete');
    }
  }
  if (type === ssf + 'verification') {
    if (subject.format !== 'opaque' || (event.state !== undefined && typeof event.state !== 'string')) {
      throw new Error('a verification event names its stream with an opaque sub_id and echoes state as a string');
    }
  }
}

function emit(line) {
  process.stdout.write(JSON.stringify(line) + '\n');
}

if (positionals[0] === 'push') {
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const answer = (status, err, description) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(err ? JSON.stringify({ err, description }) : '');
      };
      if (req.method !== 'POST' || req.headers['authorization'] !== values.authorization) {
        emit({ rejected: 'authentication' });
        return answer(401, 'authentication_failed', 'wrong or missing authorization');
      }
      if ((req.headers['content-type'] ?? '').split(';')[0].trim() !== 'application/secevent+jwt') {
        emit({ rejected: 'content-type' });
        return answer(400, 'invalid_request', 'content type must be application/secevent+jwt');
      }
      try {
        const { header, payload } = await verify(Buffer.concat(chunks).toString('ascii'));
        emit({ jti: payload.jti, header, payload });
        answer(202);
      } catch (e) {
        emit({ rejected: e.code ?? 'invalid', message: e.message });
        answer(400, 'invalid_key', e.message);
      }
    });
  });
  server.listen(0, '127.0.0.1', () => emit({ listening: server.address().port }));
} else if (positionals[0] === 'poll') {
  const want = Number(values.count);
  const deadline = Date.now() + 60_000;
  let ack = [];
  let got = 0;
  while (got < want) {
    if (Date.now() > deadline) {
      emit({ error: 'timeout', got });
      process.exit(1);
    }
    const response = await fetch(values.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer ' + values.token },
      body: JSON.stringify({ maxEvents: 10, returnImmediately: true, ack }),
    });
    if (response.status !== 200) {
      emit({ error: 'status', status: response.status, body: await response.text() });
      process.exit(1);
    }
    const body = await response.json();
    ack = [];
    for (const [jti, set] of Object.entries(body.sets)) {
      const { header, payload } = await verify(set);
      if (payload.jti !== jti) {
        emit({ error: 'jti', jti });
        process.exit(1);
      }
      emit({ jti, header, payload });
      ack.push(jti);
      got++;
    }
    if (Object.keys(body.sets).length === 0) {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  // Acknowledge the last batch before leaving, so the transmitter's queue ends empty.
  await fetch(values.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer ' + values.token },
    body: JSON.stringify({ maxEvents: 0, returnImmediately: true, ack }),
  });
  process.exit(0);
} else {
  process.stderr.write('usage: node receiver.mjs push|poll ...\n');
  process.exit(2);
}
