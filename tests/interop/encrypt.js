#!/usr/bin/env node
// Encrypt a file with Chainlink's own TDH2 encryptor (dist/tdh2.js from
// @chainlink/functions-toolkit) under a public key in Chainlink's JSON form.
//
//   node encrypt.js TPK_JSON MSG_FILE > CT_JSON
//
// tdh2.js is looked up in $TDH2_JS (run.sh and dkg.sh export the one they
// checked), else in the interop cache that run.sh fills:
// $CCC_INTEROP_CACHE/toolkit/package/dist/tdh2.js, the cache defaulting to
// .cache next to this file.  Its
// require('bcrypto/...') calls resolve from tdh2.js's own directory upwards,
// so bcrypto is installed in .cache/node_modules.
'use strict';

const fs = require('fs');
const path = require('path');

// bcrypto is installed with --ignore-scripts (no node-gyp build), so its
// native binding is absent: select its pure-JS backend unless the caller
// chose one.  tdh2.js uses bcrypto's JS elliptic code either way; only
// SHA-256, AES-GCM and the RNG source depend on the backend.
if (!process.env.NODE_BACKEND)
	process.env.NODE_BACKEND = 'js';

function die(msg) {
	process.stderr.write('encrypt.js: ' + msg + '\n');
	process.exit(2);
}

if (process.argv.length !== 4)
	die('usage: node encrypt.js TPK_JSON MSG_FILE > CT_JSON');

const tdh2Path = process.env.TDH2_JS ||
    path.join(process.env.CCC_INTEROP_CACHE || path.join(__dirname, '.cache'),
    'toolkit', 'package', 'dist', 'tdh2.js');

let tdh2;
try {
	tdh2 = require(path.resolve(tdh2Path));
} catch (e) {
	die('cannot load ' + tdh2Path + ': ' + e.message);
}
if (typeof tdh2.encrypt !== 'function')
	die(tdh2Path + ' does not export encrypt()');

let pub;
try {
	pub = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
} catch (e) {
	die('cannot read public key ' + process.argv[2] + ': ' + e.message);
}

let msg;
try {
	msg = fs.readFileSync(process.argv[3]);
} catch (e) {
	die('cannot read message ' + process.argv[3] + ': ' + e.message);
}

let ct;
try {
	ct = tdh2.encrypt(pub, msg);
} catch (e) {
	die('tdh2.encrypt failed: ' + (e && e.stack || e));
}
if (typeof ct !== 'string')
	die('tdh2.encrypt returned ' + typeof ct + ', not a string');

process.stdout.write(ct + '\n');
