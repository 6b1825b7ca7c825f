// Prints, one JSON line per call, what the official JavaScript SDK sends for each MFA challenge
// call (method, path, header names, Authorization, body), captured on a loopback HTTP server:
// the reference tests/e2e/test_mfa_challenge.cpp's wire rows are checked against. Not part of
// CI (it needs npm's registry):
//   mkdir /tmp/jscap && cd /tmp/jscap && npm install authing-js-sdk@4.23.55 &&
//   node <this checkout>/scripts/capture-js-challenge.js
const http = require('http');
const { AuthenticationClient } = require(require.resolve('authing-js-sdk', { paths: [process.cwd()] }));
const seen = [];
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', c => body += c);
  req.on('end', () => {
    seen.push({ method: req.method, url: req.url, headers: Object.keys(req.headers).sort(), auth: req.headers['authorization'] || '', body });
    res.setHeader('content-type', 'application/json');
    let data = { id: 'u', token: 't' };
    if (req.url.startsWith('/api/v2/applications/mfa/check')) data = true;
    if (req.url.startsWith('/api/v2/mfa/authenticator')) data = [];
    res.end(JSON.stringify({ code: 200, message: '', data }));
  });
});
server.listen(0, '127.0.0.1', async () => {
  const port = server.address().port;
  const c = new AuthenticationClient({ appId: 'app-1', appHost: `http://127.0.0.1:${port}`, lang: 'zh-CN' });
  const m = c.mfa;
  const mfaToken = 'MFA-TOKEN-7d2b9e41c0';
  const calls = [
    ['verifyTotpMfa', () => m.verifyTotpMfa({ totp: '123456', mfaToken })],
    ['verifyAppSmsMfa', () => m.verifyAppSmsMfa({ phone: '13800000000', code: '1234', mfaToken, phoneCountryCode: '+86' })],
    ['verifyAppSmsMfa no cc', () => m.verifyAppSmsMfa({ phone: '13800000000', code: '1234', mfaToken })],
    ['verifyAppEmailMfa', () => m.verifyAppEmailMfa({ email: 'a@example.com', code: '5678', mfaToken })],
    ['verifyTotpRecoveryCode', () => m.verifyTotpRecoveryCode({ recoveryCode: 'abcd-efgh', mfaToken })],
    ['verifyFaceMfa', () => m.verifyFaceMfa('face-photo/key.jpg', mfaToken)],
    ['phoneOrEmailBindable', () => m.phoneOrEmailBindable({ phone: '13800000000', mfaToken })],
    ['assosicateMfaAuthenticator', () => m.assosicateMfaAuthenticator({ authenticatorType: 'totp', mfaToken, source: 'APPLICATION' })],
    ['confirmAssosicateMfaAuthenticator', () => m.confirmAssosicateMfaAuthenticator({ authenticatorType: 'totp', totp: '123456', source: 'APPLICATION', mfaToken })],
    ['getMfaAuthenticators', () => m.getMfaAuthenticators({ type: 'totp', mfaToken, source: 'APPLICATION' })],
  ];
  for (const [name, f] of calls) {
    const before = seen.length;
    try { await f(); } catch (e) { console.log(name, 'threw', e && (e.message || JSON.stringify(e))); }
    const s = seen[before];
    console.log(JSON.stringify({ name, ...s }));
  }
  server.close();
});
