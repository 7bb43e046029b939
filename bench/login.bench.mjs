#!/usr/bin/env node
// Password logins (issue 5 benchmark): successful password logins per second through the real
// `POST /login` of the authentication service (argon2id m=19456 KiB, t=2, p=1 — read back from the
// stored hash), at a few concurrency levels; and the end-to-end latency (p50, p99) of a full
// authorization-code flow with plain fetch and a fresh cookie jar each time: authorize → login form →
// password → consent (granted beforehand) → code → token (client_secret_basic, PKCE S256).
// Reference: Keycloak's published sizing, ≈15 password logins/s per vCPU; target ≥ 1.5× that per core.
// Tessera runs in distributed mode (authentication, token, consent on PostgreSQL + Kafka); the load
// generator runs on the same machine, so the figures per core are conservative.
// Needs `npm run build` and the infrastructure (`npm run infra:up`).
// Usage: node bench/login.bench.mjs [seconds=10] [concurrency=1,2,4,8,16] [flows=300]
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { hash, verify } from '@node-rs/argon2';
import pg from 'pg';
import { basic, json, quantile, startTessera } from './lib/servers.mjs';

const seconds = Number(process.argv[2] || 10);
const concurrencyList = (process.argv[3] || '1,2,4,8,16').split(',').map(Number);
const flowCount = Number(process.argv[4] || 300);
const USERS = 32;
const PASSWORD = 'correct horse battery staple';
const REDIRECT = 'https://rp.example/cb';
const SCOPE = 'openid profile';
const KEYCLOAK_PER_VCPU = 15;
// `Algorithm` is a const enum @node-rs/argon2 does not export at run time: Argon2id is 2.
const ARGON2ID = 2;
const TARGET_PER_CORE = 1.5 * KEYCLOAK_PER_VCPU;
const cores = availableParallelism();

/** A browser in miniature: a cookie jar, no automatic redirects, each path sent to the service owning it. */
class Jar {
  constructor(route) {
    this.route = route;
    this.cookies = new Map();
  }

  async send(method, path, form) {
    const headers = {};
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(`${this.route(path)}${path}`, {
      method,
      headers,
      body: form ? new URLSearchParams(form).toString() : undefined,
      redirect: 'manual',
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      const value = pair.slice(eq + 1);
      if (value === '' || /Max-Age=0/i.test(line)) this.cookies.delete(pair.slice(0, eq));
      else this.cookies.set(pair.slice(0, eq), value);
    }
    const text = await res.text();
    return { status: res.status, location: res.headers.get('location'), text };
  }
}

const fieldOf = (html, name) => {
  const match = new RegExp(`name="${name}" value="([^"]+)"`).exec(html);
  if (!match) throw new Error(`no ${name} field in the page`);
  return match[1];
};

function expectRedirect(res, pattern, what) {
  if (res.status !== 303 || !pattern.test(res.location ?? '')) {
    throw new Error(`${what}: expected 303 to ${pattern}, got ${res.status} ${res.location} ${res.text.slice(0, 200)}`);
  }
  return res.location;
}

async function setUp(tessera) {
  const auth = tessera.base('authentication');
  const admin = { authorization: `Bearer ${tessera.adminToken}` };
  const users = [];
  for (let i = 0; i < USERS; i++) {
    const userName = `bench.${i}.${randomBytes(3).toString('hex')}@example.com`;
    await json(`${auth}/scim/v2/Users`, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'application/scim+json' },
      body: JSON.stringify({
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
        userName,
        password: PASSWORD,
        name: { givenName: 'Bench', familyName: String(i) },
      }),
    });
    users.push(userName);
  }
  const client = await json(`${tessera.base('token')}/oauth/register`, {
    method: 'POST',
    headers: { ...admin, 'content-type': 'application/json' },
    body: JSON.stringify({
      client_name: 'bench shop',
      redirect_uris: [REDIRECT],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: SCOPE,
    }),
  });
  return { users, client };
}

/** The argon2id parameters of a stored hash (PHC string), as the service chose them. */
async function storedHashParams(databaseUrl) {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query('SELECT password_hash FROM authentication.credentials LIMIT 1');
    const match = /^\$(argon2id)\$v=\d+\$(m=\d+,t=\d+,p=\d+)\$/.exec(rows[0].password_hash);
    return match ? `${match[1]} ${match[2]}` : 'unknown';
  } finally {
    await db.end();
  }
}

/**
 * `concurrency` workers posting the login form for `durationS` seconds; counts only real sign-ins
 * (303 to /account/mfa with a session cookie), and fails on anything else.
 */
async function loginLoad(route, users, concurrency, durationS) {
  const deadline = Date.now() + durationS * 1000;
  const latencies = [];
  let ok = 0;
  const worker = async (w) => {
    const jar = new Jar(route);
    const page = await jar.send('GET', '/login');
    const csrf = fieldOf(page.text, 'csrf');
    for (let i = w; Date.now() < deadline; i += concurrency) {
      jar.cookies.delete('tessera_session');
      const started = performance.now();
      const res = await jar.send('POST', '/login', { username: users[i % users.length], password: PASSWORD, csrf });
      latencies.push(performance.now() - started);
      expectRedirect(res, /^\/account\/mfa$/, 'login');
      if (!jar.cookies.get('tessera_session')?.startsWith('tsr_ses_')) throw new Error('login: no session cookie');
      ok++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  const elapsedS = (performance.now() - started) / 1000;
  return { ok, perSecond: ok / elapsedS, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99) };
}

/**
 * CPU seconds (user + system) a process has used, from /proc (Linux; null elsewhere). CPU per login is
 * far less sensitive than logins/s to other work on a shared machine.
 */
function cpuSeconds(pid) {
  const path = `/proc/${pid}/stat`;
  if (!existsSync(path)) return null;
  // Fields after the parenthesised command: utime and stime are the 12th and 13th (clock ticks, 100/s).
  const fields = readFileSync(path, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const servicesCpu = (tessera) =>
  Object.values(tessera.procs).reduce((sum, p) => (sum === null ? null : sum + (cpuSeconds(p.child.pid) ?? NaN)), 0);

/** The ceiling: bare argon2id verifications/s in this process with the same parameters (no HTTP, no database). */
async function argon2Ceiling(parallel, durationS) {
  const phc = await hash(PASSWORD, { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 });
  const deadline = Date.now() + durationS * 1000;
  let n = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (Date.now() < deadline) {
        if (!(await verify(phc, PASSWORD))) throw new Error('argon2 verify failed');
        n++;
      }
    }),
  );
  return n / ((performance.now() - started) / 1000);
}

const pkce = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

/** One full authorization-code flow with a fresh jar; `consent` runs the consent page when asked. */
async function codeFlow(route, tessera, client, userName, { consent = false } = {}) {
  const jar = new Jar(route);
  const { verifier, challenge } = pkce();
  const state = randomBytes(12).toString('base64url');
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: client.client_id,
    redirect_uri: REDIRECT,
    scope: SCOPE,
    state,
    nonce: randomBytes(12).toString('base64url'),
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  const login = expectRedirect(await jar.send('GET', `/oauth/authorize?${query}`), /^\/login\?request=/, 'authorize');
  const request = new URL(login, 'http://x').searchParams.get('request');
  const page = await jar.send('GET', login);
  const posted = await jar.send('POST', '/login', {
    username: userName,
    password: PASSWORD,
    csrf: fieldOf(page.text, 'csrf'),
    request,
  });
  let next = expectRedirect(posted, /^\/oauth\/authorize\/continue\?/, 'login');
  let res = await jar.send('GET', next);
  if (consent) {
    next = expectRedirect(res, /^\/consent\?request=/, 'continue (consent expected)');
    const consentPage = await jar.send('GET', next);
    const granted = await jar.send('POST', '/consent', {
      request,
      csrf: fieldOf(consentPage.text, 'csrf'),
      decision: 'allow',
      scope: 'profile',
    });
    res = await jar.send('GET', expectRedirect(granted, /^\/oauth\/authorize\/continue\?/, 'consent'));
  }
  const back = new URL(expectRedirect(res, /^https:\/\/rp\.example\/cb\?/, 'continue (code expected)'));
  if (back.searchParams.get('state') !== state) throw new Error('state mismatch');
  const token = await fetch(`${tessera.base('token')}/oauth/token`, {
    method: 'POST',
    headers: {
      authorization: basic(client.client_id, client.client_secret),
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: back.searchParams.get('code'),
      redirect_uri: REDIRECT,
      code_verifier: verifier,
    }).toString(),
  });
  const body = await token.json();
  if (token.status !== 200 || !body.id_token || !body.access_token) throw new Error(`token: ${JSON.stringify(body)}`);
}

const tessera = await startTessera(['authentication', 'token', 'consent'], { label: 'login' });
try {
  const route = (path) =>
    /^\/consents?(\/|\?|$)/.test(path) ? tessera.base('consent') : tessera.base('authentication');
  const { users, client } = await setUp(tessera);
  const params = await storedHashParams(tessera.database.url);
  console.log(`password hashing: ${params}; ${cores} cores; ${USERS} users; ${seconds} s per level`);
  console.log(
    `load average before: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (other work on the machine skews the figures)`,
  );
  const ceiling = await argon2Ceiling(cores, 3);
  console.log(`ceiling: bare argon2id verifications in one process, ${cores} in parallel: ${ceiling.toFixed(1)}/s`);

  await loginLoad(route, users, 2, 2); // warm-up
  console.log('\npassword logins through POST /login (303 + session cookie each)');
  console.log('concurrency | logins/s | per core | × Keycloak/vCPU (15) | p50 ms | p99 ms | service CPU ms/login');
  let best = 0;
  let cpuPerLogin = Infinity;
  for (const c of concurrencyList) {
    const cpuBefore = servicesCpu(tessera);
    const r = await loginLoad(route, users, c, seconds);
    const cpuMs = ((servicesCpu(tessera) - cpuBefore) * 1000) / r.ok;
    cpuPerLogin = Math.min(cpuPerLogin, cpuMs);
    best = Math.max(best, r.perSecond);
    const perCore = r.perSecond / cores;
    console.log(
      `${String(c).padStart(11)} | ${r.perSecond.toFixed(1).padStart(8)} | ${perCore.toFixed(1).padStart(8)} | ` +
        `${(perCore / KEYCLOAK_PER_VCPU).toFixed(2).padStart(20)} | ${r.p50.toFixed(1).padStart(6)} | ` +
        `${r.p99.toFixed(1).padStart(6)} | ${cpuMs.toFixed(1).padStart(20)}`,
    );
  }
  const bestPerCore = best / cores;
  console.log(
    `best: ${best.toFixed(1)} logins/s = ${bestPerCore.toFixed(1)} per core; target ≥ ${TARGET_PER_CORE} per core ` +
      `(1.5 × Keycloak's 15/vCPU): ${bestPerCore >= TARGET_PER_CORE ? 'MET' : 'NOT MET'} ` +
      `(${(bestPerCore / KEYCLOAK_PER_VCPU).toFixed(2)}× Keycloak)`,
  );
  if (Number.isFinite(cpuPerLogin)) {
    const capacity = 1000 / cpuPerLogin;
    console.log(
      `CPU cost: ${cpuPerLogin.toFixed(1)} ms of Tessera-process CPU per login (PostgreSQL and Kafka not counted) → ` +
        `≈ ${capacity.toFixed(1)} logins/s per fully available core ` +
        `(${(capacity / KEYCLOAK_PER_VCPU).toFixed(2)}× Keycloak; target ${TARGET_PER_CORE})`,
    );
  }

  // Every user consents once; the measured flows then skip the consent page (pre-granted).
  for (const u of users) await codeFlow(route, tessera, client, u, { consent: true });
  for (let i = 0; i < 10; i++) await codeFlow(route, tessera, client, users[i % USERS]); // warm-up
  const latencies = [];
  for (let i = 0; i < flowCount; i++) {
    const started = performance.now();
    await codeFlow(route, tessera, client, users[i % USERS]);
    latencies.push(performance.now() - started);
  }
  console.log(
    `\nauthorization-code flow end to end (authorize → login → consent granted → code → token), ` +
      `${flowCount} sequential flows: p50 ${quantile(latencies, 0.5).toFixed(1)} ms, ` +
      `p99 ${quantile(latencies, 0.99).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms`,
  );
} finally {
  await tessera.stop();
}
