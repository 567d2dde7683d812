// A real AT Protocol PDS with an in-memory PLC directory, on loopback only, for the Bluesky tests.
// Started by tests/pds_server.py as `node start.mjs`; environment:
//   PDS_PORT, PLC_PORT            ports to listen on (127.0.0.1)
//   PDS_DATA_DIRECTORY            a fresh, empty folder (the PLC directory lives in memory, so
//                                 accounts from an earlier start would point at nothing)
//   PDS_ADMIN_PASSWORD            admin password (tests may use it)
//   PDS_RATE_LIMITS_ENABLED=true  production's rate limits (createSession 30 / 5 min, ...), in memory
// Prints one JSON line, {"ready": true, ...} or {"ready": false, "error": ...}; stops on SIGTERM,
// SIGINT, or when its standard input closes (the test process went away).
import { createRequire } from 'node:module'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const t0 = performance.now()
const say = (message) => process.stdout.write(JSON.stringify(message) + '\n')

let pds = null
let plc = null
let stopping = false
const stop = async (code = 0) => {
  if (stopping) return
  stopping = true
  try {
    if (pds) await pds.destroy()
    if (plc) await plc.destroy()
  } finally {
    process.exit(code)
  }
}
process.on('SIGTERM', () => stop(0))
process.on('SIGINT', () => stop(0))
process.stdin.on('end', () => stop(0))
process.stdin.on('error', () => stop(0))
process.stdin.resume()

// Both servers call app.listen(port) on all interfaces: force loopback.
const loopbackOnly = (app) => {
  const listen = app.listen.bind(app)
  app.listen = (port, ...rest) => listen(port, '127.0.0.1', ...rest)
}

try {
  const { PDS, envToCfg, envToSecrets, readEnv } = await import('@atproto/pds')
  const { PlcServer, Database } = createRequire(import.meta.url)('@did-plc/server')

  const PORT = Number(process.env.PDS_PORT || 2583)
  const PLC_PORT = Number(process.env.PLC_PORT || 2582)
  const DIR = process.env.PDS_DATA_DIRECTORY || fs.mkdtempSync(path.join(os.tmpdir(), 'pds-'))
  fs.mkdirSync(path.join(DIR, 'blobs'), { recursive: true })

  // PLC directory with an in-memory database (no Postgres): its state dies with the process.
  plc = PlcServer.create({ db: Database.mock(), port: PLC_PORT })
  loopbackOnly(plc.app)
  await plc.start()

  const hex = () => crypto.randomBytes(32).toString('hex')
  const env = {
    ...readEnv(),
    port: PORT,
    hostname: 'localhost', // => publicUrl http://localhost:PORT, handles *.test
    dataDirectory: DIR,
    blobstoreDiskLocation: path.join(DIR, 'blobs'),
    didPlcUrl: `http://127.0.0.1:${PLC_PORT}`,
    inviteRequired: false,
    devMode: true,
    disableSsrfProtection: true,
    crawlers: [],
    jwtSecret: hex(),
    dpopSecret: hex(),
    adminPassword: process.env.PDS_ADMIN_PASSWORD || 'admin-pass',
    plcRotationKeyK256PrivateKeyHex: hex(),
  }
  pds = await PDS.create(envToCfg(env), envToSecrets(env))
  loopbackOnly(pds.app)
  await pds.start()
  say({
    ready: true,
    pid: process.pid,
    pds: `http://127.0.0.1:${PORT}`,
    plc: env.didPlcUrl,
    dataDir: DIR,
    rateLimits: Boolean(env.rateLimitsEnabled),
    node: process.version,
    startupMs: Math.round(performance.now() - t0),
  })
} catch (err) {
  say({ ready: false, error: String((err && err.stack) || err) })
  await stop(1)
}
