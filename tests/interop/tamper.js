#!/usr/bin/env node
// Flip one base64 character of a field of the TDH2 ciphertext inside a
// Chainlink hybrid JSON ciphertext, keeping everything valid JSON and valid
// base64 (so the change reaches the decoded bytes, not the parser).
//
//   node tamper.js FIELD IN_CT_JSON > OUT_CT_JSON      (FIELD: U, U_bar, E, F, C)
//
// The character flipped is at offset 20 of the field's base64 text, inside a
// full 4-character group, so any replacement from the base64 alphabet is
// still canonical base64 and changes exactly one decoded byte.
'use strict';

const fs = require('fs');

function die(msg) {
	process.stderr.write('tamper.js: ' + msg + '\n');
	process.exit(2);
}

if (process.argv.length !== 4)
	die('usage: node tamper.js FIELD IN_CT_JSON > OUT_CT_JSON');
const field = process.argv[2];

const outer = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
if (typeof outer.TDH2Ctxt !== 'string')
	die('no TDH2Ctxt string in ' + process.argv[3]);
const innerText = Buffer.from(outer.TDH2Ctxt, 'base64').toString('utf8');
const inner = JSON.parse(innerText);
// Re-serialising must reproduce the original text, so that the output differs
// from the input in the one flipped character only.
if (JSON.stringify(inner) !== innerText)
	die('TDH2Ctxt JSON does not re-serialise identically');
const b64 = inner[field];
if (typeof b64 !== 'string')
	die('no ' + field + ' string in the TDH2 ciphertext');

const pos = 20;
if (b64.length < pos + 4 || b64.slice(0, pos + 4).includes('='))
	die(field + ' is too short to flip a character at ' + pos);
const alphabet =
    'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const i = alphabet.indexOf(b64[pos]);
if (i < 0)
	die(field + ' is not standard base64');
// Flip the low bit of the 6-bit value: a different alphabet character.
const flipped = b64.slice(0, pos) + alphabet[i ^ 1] + b64.slice(pos + 1);

const before = Buffer.from(b64, 'base64');
const after = Buffer.from(flipped, 'base64');
if (after.toString('base64') !== flipped || after.length !== before.length)
	die('re-encoded ' + field + ' is not canonical base64');
let diff = 0;
for (let k = 0; k < before.length; k++)
	if (before[k] !== after[k])
		diff++;
if (diff !== 1)
	die('expected one changed byte in ' + field + ', got ' + diff);

inner[field] = flipped;	// key order is kept by JSON.stringify
outer.TDH2Ctxt = Buffer.from(JSON.stringify(inner), 'utf8').toString('base64');
process.stdout.write(JSON.stringify(outer) + '\n');
