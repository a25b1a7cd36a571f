<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
<context>
    <name>Diagnosis</name>
    <message>
        <source>Port 465 expects implicit TLS: the server waits for a TLS handshake before it says anything. Switch security to TLS (--security tls).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port %1 usually expects STARTTLS, not implicit TLS: switch security to STARTTLS (--security starttls), or use port 465 with TLS.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Many ISPs and cloud providers (AWS, Azure, Google Cloud) block outbound port 25: use the submission port 587 (STARTTLS) or 465 (TLS) instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>while resolving the host name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>while connecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server may refuse this client's IP address or have too many connections.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>while waiting for the greeting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server may refuse this client's IP address (check blocklists such as Spamhaus) or have too many connections.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>after EHLO</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Some servers refuse a HELO name that is not a fully qualified domain name: set one (--helo host.example.com).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>during STARTTLS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server's TLS setup may be broken; try implicit TLS on port 465 (--security tls).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>during the TLS handshake</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server and this client may share no TLS version or cipher (TLS 1.2 is the lowest Relaydeck accepts), or a firewall blocks TLS.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>during authentication</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Many servers delay or drop the connection after failed or too many logins: check the credentials and wait before retrying.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>while sending the test message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Content or size filters may have stopped the message; the server's log says why.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>after QUIT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Everything before QUIT worked; this is harmless.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at an unknown stage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>at stage %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (stage %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Google does not accept the account password for SMTP: create an app password (Google Account → Security → 2-Step Verification → App passwords) and use it as the password, or use OAuth2 (--auth xoauth2 with an access token as the password). The username is the full Gmail or Workspace address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gmail only sends as the account's own address or a verified &quot;Send mail as&quot; alias.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Microsoft 365 / Outlook: the username must be the full mailbox address. If the reply says 5.7.139, SMTP AUTH is disabled for the tenant or the mailbox: enable &quot;Authenticated SMTP&quot; for the mailbox in the Microsoft 365 admin center (Security Defaults also block it), or use OAuth2 (--auth xoauth2). Accounts with multi-factor sign-in need an app password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Microsoft 365 sends only as the authenticated mailbox unless the account has &quot;Send As&quot; permission for this address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yahoo and AOL require an app password for SMTP (Account security → Generate app password); the normal password is refused.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>iCloud Mail requires an app-specific password (appleid.apple.com → Sign-In and Security → App-Specific Passwords); the username is the iCloud address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoho requires an app-specific password when two-factor authentication is on, and the server of your data centre (smtp.zoho.eu, smtp.zoho.com, ...).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fastmail requires an app password with SMTP access (Settings → Privacy &amp; Security → App passwords).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Amazon SES needs SMTP credentials created in the SES console (SMTP settings → Create SMTP credentials), not IAM access keys, and they only work in the region they were created in (this endpoint: %1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Amazon SES accepts only verified identities (address or domain) as sender, in this region (%1); while the account is in the SES sandbox, request production access or verify the address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>While the Amazon SES account is in the sandbox, recipients must be verified identities too (region %1); request production access to send to anyone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SendGrid's SMTP username is literally &quot;apikey&quot; and the password is an API key with Mail Send permission.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SendGrid accepts only verified senders (Sender Authentication).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server requires STARTTLS before AUTH or MAIL (&quot;Must issue a STARTTLS command first&quot;): switch security to STARTTLS (--security starttls).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Microsoft's 5.7.139 means SMTP AUTH is disabled for this tenant or mailbox: an admin must enable &quot;Authenticated SMTP&quot; for the mailbox in the Microsoft 365 admin center (Security Defaults also disable it), or use OAuth2 (--auth xoauth2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server wants an app password (application-specific password) instead of the account password: create one in the account's security settings, or use OAuth2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The provider blocked this sign-in until it is confirmed in a web browser: log in to the web mail once, approve the sign-in, or use an app password or OAuth2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server failed temporarily (4xx): often too many login attempts or a backend outage. Wait a few minutes and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server accepts mail only from authenticated clients: set a username and password (--user, --password-env).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The account may not send as this address: use the mailbox's own address as sender (--from), or grant it &quot;Send As&quot; permission.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The address is not a verified identity with this provider: verify it (Amazon SES, SendGrid and others send only from verified addresses, and in the SES sandbox only to them).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server refuses to relay for this client (&quot;relay denied&quot;): relaying to other domains needs authentication — set a username (--user) — or the admin must allow this client's IP address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The recipient's mailbox does not exist: check the address for typos.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server says the message exceeds its size limit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an unknown date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>If you have confirmed by other means (e.g. with the server's admin) that this is the right certificate, pin it: SHA-256 %1 (relaydeck-cli: --pin %1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The name &quot;%1&quot; could not be resolved: check it for typos (e.g. smtp. versus mail.), that the domain exists, and that this machine's DNS works.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It has no domain part: give the full name (smtp.example.com).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 refused the connection on port %2: the port is wrong, the mail service is not running, or a firewall rejects it. SMTP submission uses 587 (STARTTLS) or 465 (implicit TLS); 25 is for server-to-server relay.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No answer from %1 on port %2 within %3 s: a firewall (local, network or the server's) is probably dropping the connection.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check that outbound port %1 is open and the host name is right.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This machine has no route to %1%2: check the network connection, VPN or proxy settings; if only IPv6 or IPv4 is broken, the address family matters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the proxy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the proxy %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection through %1 failed: check its type, host and port, that it runs, and that it allows connections to %2 port %3 (HTTP proxies often allow CONNECT to port 443 only).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The proxy refused the credentials for %1: check the proxy username (and domain) and the proxy password stored for this profile (--proxy-password-env).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TLS worked, but the server sent no greeting within %1 s: it may be overloaded or delay clients on purpose (tarpitting). Raise the timeout (--timeout).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server accepted the connection but sent no greeting within %1 s. If this port uses implicit TLS (usually 465), switch security to TLS (--security tls); otherwise the server may be overloaded or delay clients on purpose (tarpitting): raise the timeout (--timeout).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server is not accepting connections right now (421: too many connections, maintenance, or rate limits for this IP address). Try again later.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server refused this client before any command: it may block this machine's IP address (look it up on blocklists such as Spamhaus), accept only certain networks, or limit connections. Ask its admin, or use the provider's submission server on port 587 or 465.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server sent something that is not valid SMTP %1. Check that %2 port %3 is an SMTP server (not HTTP, IMAP or POP3); a firewall or antivirus that inspects SMTP can also mangle the dialogue.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server closed the connection %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No reply within %1 s %2: the server is slow or something in between drops the connection. Raise the timeout (--timeout) or try again later.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The TLS handshake failed. If this port speaks plain SMTP first (as 587 and 25 do), switch security to STARTTLS (--security starttls).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The TLS handshake after STARTTLS failed: the server's TLS setup may be broken, or it offers no TLS version or cipher this client accepts.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The profile requires TLS 1.3; the server may only speak TLS 1.2: lower the minimum (--tls-min 1.2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check that the server accepts the client certificate %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server's certificate is self-signed (%1), so no authority vouches for it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The certificate's issuer (%1) is not a trusted authority on this machine.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The certificate's issuer is not a trusted authority on this machine.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>If it comes from your organisation's own CA, give that CA's certificate as CA file (--ca-file ca.pem).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The certificate is not valid before %1: check this machine's clock, or the server uses a certificate issued for the future.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The certificate expired on %1 (valid from %2): the server's admin must renew it. Check this machine's clock too.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The certificate is outside its validity dates: the server's admin must renew it. Check this machine's clock too.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The certificate is for %1, not for %2: connect with one of those names (--host NAME).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The certificate was not issued for %1: connect with the name it was issued for (--host NAME).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server presented a certificate with SHA-256 %1, which is not a pinned one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server's certificate is not a pinned one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pinned: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The certificate changed (renewal, another server) or someone is intercepting the connection: confirm the new fingerprint with the server's admin before re-pinning it (--pin).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server does not advertise STARTTLS here, and Relaydeck never falls back to an unencrypted session. If the server uses implicit TLS, use port 465 with security TLS (--security tls --port 465); a firewall that inspects SMTP can also strip STARTTLS. Use security none only on a network you trust.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server refused STARTTLS instead of answering 220: its TLS is unavailable or misconfigured; ask its admin, or try implicit TLS on port 465 (--security tls).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The reply is temporary (4xx): try again later.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data followed the server's 220 answer to STARTTLS before the TLS handshake: a man-in-the-middle is injecting commands into the session, or the server (or a middlebox) is broken. The test stopped without sending anything; do not send credentials over this network path, and report it to the network and server admins.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server offers no AUTH on this unencrypted session; many servers offer it only after STARTTLS: switch security to STARTTLS (--security starttls).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server offers no authentication at all. If it is a relay that accepts mail by IP address, set authentication to none (--auth none); otherwise authentication may be enabled on another port.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port 25 is for server-to-server relay; authenticated submission is usually on 587 (STARTTLS) or 465 (TLS).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>any mechanism Relaydeck supports</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The profile asks for %1, but the server named no mechanism: set authentication to auto or none.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The profile asks for %1, but the server offers only %2: choose one of these (--auth %3) or auto.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The access token was refused: it may have expired (they last about an hour) or lack the SMTP scope (Google: https://mail.google.com/, Microsoft: https://outlook.office.com/SMTP.Send); the username must be the mailbox the token was issued for.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server refused the username or password: check both; the username is often the full e-mail address (user@example.com), and providers with two-factor sign-in want an app password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Relaydeck does not send credentials, sender or recipients over an unencrypted connection to %1. Use STARTTLS (--security starttls) or implicit TLS (--security tls); on a network you trust, allow it explicitly (--allow-plaintext-auth).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server refused the sender %1: use an address this account may send as (its own or a verified alias); a relay may also accept only its own domains or authenticated clients.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server refused the recipient %1: a server usually relays to other domains only for authenticated clients, so set a username (--user); also check the address for typos.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server refused the recipient %1: check the address, and that this account may send to its domain.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server refused the test message after DATA: content or spam filters, the SPF/DKIM/DMARC policy of the sender's domain (%1), or a From address that does not match the account. The server's log says which.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server accepts messages of at most %1 bytes (its SIZE limit): send a smaller message or ask its admin to raise the limit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server says the message is too large: send a smaller one or ask its admin for the size limit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The test was stopped before it finished; run it again to get a verdict.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing was sent: fix the field named in the message (host, port, addresses and the HELO name must be set and contain no line breaks) and run the test again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The host name could not be resolved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server refused the connection.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection attempt timed out.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server's network is unreachable.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection through the proxy failed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The proxy refused the proxy credentials.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server sent no greeting in time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server refused the session in its greeting.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server's reply violates the SMTP protocol.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server closed the connection unexpectedly.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server did not reply in time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The TLS handshake failed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server's certificate is not trusted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server's certificate is for another host name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server's certificate has expired or is not yet valid.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server's certificate does not match the pinned one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server does not offer STARTTLS.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server refused STARTTLS.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unencrypted data was injected after STARTTLS.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server does not offer authentication.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server does not offer the chosen authentication mechanism.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Authentication failed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Credentials were not sent over an unencrypted connection.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server refused the sender.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server refused the recipient.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server refused the message.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The message is too large.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The test settings are invalid.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The test was cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown error (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run the test again with the transcript (--transcript) to see the server's exact words.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DsnProfileFormat</name>
    <message>
        <source>line %1: not a valid DSN (expected smtp://[user@]host[:port][?options])</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>line %1: '%2://' is not a plain SMTP DSN; skipped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>line %1: the DSN has no host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>line %1: the password was not copied; enter it again in Relaydeck (it is kept in the keychain)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>line %1: peer_fingerprint is not a SHA-256 fingerprint; only SHA-256 pins are supported</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>JsonProfileFormat</name>
    <message>
        <source>line %1: not valid JSON (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the document must be a JSON object with &quot;format&quot;, &quot;version&quot; and &quot;profiles&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>format: expected &quot;%1&quot;, found &quot;%2&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>version: must be a whole number of at least 1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>version: the file is version %1, this Relaydeck reads version %2 or older; update Relaydeck to import it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>profiles: must be an array</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>profiles[%1]: must be an object</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>KeychainSecretStore</name>
    <message>
        <source>The keychain could not delete the entry%1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Access to the keychain was refused (the unlock or permission prompt was cancelled).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The keychain refused access%1. It may be locked: unlock it (e.g. log in to the desktop session) and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No keychain is available%1. Start a Secret Service provider such as GNOME Keyring or KWallet in this session; Relaydeck never stores secrets in plain text.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The keychain does not support this operation%1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No keyring is reachable: there is no D-Bus session bus%1. Run Relaydeck in a desktop session (or start one with dbus-run-session and an unlocked gnome-keyring-daemon). Relaydeck never stores secrets in plain text.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No keyring is running%1. Start a Secret Service provider such as GNOME Keyring or KWallet; Relaydeck never stores secrets in plain text.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The keyring is locked or has no default collection%1. Unlock it (log in to the desktop session, or gnome-keyring-daemon --unlock) and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The keychain failed%1. Is a keyring (GNOME Keyring, KWallet) running and unlocked in this session? Relaydeck never stores secrets in plain text.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The keychain did not answer within %1 seconds. Is a keyring (GNOME Keyring, KWallet) running and unlocked in this session?</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MsmtpProfileFormat</name>
    <message>
        <source>line %1: unknown msmtp command '%2'</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>line %1: 'account' needs a name without blanks, optionally followed by ': account,...'</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>line %1: account '%2' inherits from '%3', which is not defined before it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>line %1: account '%2' is defined twice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>line %1: '%2' comes before any 'defaults' or 'account' line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>line %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>line %1: 'account default : %2' (msmtp's default account) has no Relaydeck equivalent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>line %1: account '%2' has no host; not imported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>port '%1' is not a port number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>timeout off: Relaydeck always uses a timeout (%1 s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>timeout '%1' is not a number of seconds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tls_fingerprint is not SHA-256 (SHA-1 and MD5 fingerprints are not accepted); pin the certificate again with Relaydeck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tls_priorities '%1' is not used; Relaydeck accepts TLS 1.2 or newer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>proxy_port '%1' is not a port number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>password: not copied (Relaydeck keeps passwords only in the keychain); enter it again for '%1'</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>passwordeval: the password command is not run; enter the password again in Relaydeck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>'%1' is not used by Relaydeck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>auth %1 is not supported by Relaydeck; the mechanism is chosen automatically</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Presets</name>
    <message>
        <source>Microsoft Exchange (your server)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter your Exchange server's name. The client submission connector listens on 587 with STARTTLS; the mailbox must be allowed to send as the sender address. Port 25 connectors usually relay without authentication for allowed IP addresses only.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Microsoft 365 / Office 365</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMTP AUTH must be enabled for the mailbox (Microsoft 365 admin center, or Set-CASMailbox -SmtpClientAuthenticationDisabled $false); otherwise the server answers 5.7.139. Tenants with Security Defaults block basic authentication: use OAuth2 (XOAUTH2) or an app password where allowed. TLS 1.2 or later is required.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gmail / Google Workspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Google no longer accepts the account password: turn on 2-Step Verification and create an app password, or use OAuth2 (XOAUTH2). Port 587 with STARTTLS works as well.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Amazon SES</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use SES SMTP credentials (created under SMTP settings in the SES console), not IAM access keys; they are specific to the region. The sender address or its domain must be verified in SES, and while the account is in the sandbox the recipients must be verified too.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outlook.com / Hotmail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accounts with two-step verification need an app password; Microsoft is phasing out basic authentication for Outlook.com in favour of OAuth2 (XOAUTH2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yahoo Mail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yahoo requires an app password (Account security &gt; Generate app password); the account password is refused.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>iCloud Mail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use an app-specific password from appleid.apple.com; the user name is your full iCloud address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fastmail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create an app password with SMTP access (Settings &gt; Privacy &amp; Security &gt; App passwords); the user name is your full Fastmail address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoho Mail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accounts in other data centres use their own host (smtp.zoho.eu, smtp.zoho.in, ...). With two-factor authentication, use an application-specific password. The sender must be your Zoho address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SendGrid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The user name is literally &quot;apikey&quot;; the password is a SendGrid API key with the Mail Send permission. The sender must be a verified sender identity or an authenticated domain.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mailgun</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use the SMTP credentials of your sending domain (Domain settings &gt; SMTP credentials), e.g. postmaster@mg.example.com. Domains in the EU region use smtp.eu.mailgun.org.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Postmark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Both the user name and the password are your Postmark Server API token. The sender signature or domain must be confirmed in Postmark.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Brevo (Sendinblue)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The user name is the SMTP login shown under SMTP &amp; API (not your account e-mail), the password an SMTP key created there. The sender must be a verified sender or domain.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Local relay (localhost)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A mail server on this machine (Postfix, Exim, ...) relaying without authentication. Nothing leaves the machine unencrypted on the way to it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The built-in presets are missing (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The built-in presets are damaged: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown preset '%1'. Known presets: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The preset '%1' has no regions.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown region '%1' for the preset '%2'. Regions: %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>offset %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>format: expected &quot;relaydeck-presets&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>version: expected 1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1.id: missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1.port: must be 1 to 65535</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1.security: expected none, starttls or tls</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1.tlsMinVersion: expected 1.2 or 1.3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1.mechanism: unknown mechanism</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1.alternatives: each needs a port and a security</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: a host with {region} needs regions and a default region among them</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProfileFormats</name>
    <message>
        <source>The file is neither a Relaydeck JSON export, an msmtp configuration nor a list of smtp:// DSNs.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProfileJson</name>
    <message>
        <source>unknown security '%1' (expected none, starttls or tls)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown mechanism '%1'</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown TLS version '%1' (expected 1.2 or 1.3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown proxy type '%1' (expected none, system, socks5 or http)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be a string</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be true or false</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be a whole number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be between %1 and %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be an object</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>'%1' is not a UUID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>must be an array of strings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>'%1' is not a SHA-256 fingerprint (64 hex digits)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProfileSecretNeeds</name>
    <message>
        <source>No access token is stored for this connection: enter it on the Authentication tab.</source>
        <translation>Für diese Verbindung ist kein Zugriffstoken gespeichert: Geben Sie es auf der Registerkarte „Authentifizierung“ ein.</translation>
    </message>
    <message>
        <source>No password is stored for this connection: enter it on the Authentication tab, or clear the user name to test without authentication.</source>
        <translation>Für diese Verbindung ist kein Passwort gespeichert: Geben Sie es auf der Registerkarte „Authentifizierung“ ein, oder leeren Sie den Benutzernamen, um ohne Authentifizierung zu testen.</translation>
    </message>
</context>
<context>
    <name>ProfileSecrets</name>
    <message>
        <source>SMTP password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>proxy password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>client key passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OAuth refresh token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the %1 from the keychain failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving the %1 in the keychain failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removing the %1 from the keychain failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProfileStore</name>
    <message>
        <source>Another connection is already called '%1' (names are compared ignoring case).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection '%1' was not saved:
%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is damaged (%2). Relaydeck will not read or change it until you fix it or move it away (the previous version may be in %1.bak).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>line %1, column %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the top level must be an object</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;format&quot; must be &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;version&quot; must be a whole number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 was written by a newer Relaydeck (file version %2; this Relaydeck knows version %3). Update Relaydeck; it will not read or change the file until then.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;profiles&quot; must be an array</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>profiles[%1] must be an object</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>profiles[%1].name is empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>profiles[%1].name: '%2' is used twice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>profiles[%1].id: '%2' is used twice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot keep a backup of %1 in %2; nothing was changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write %1: %2; nothing was changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot create the configuration folder %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Another Relaydeck is changing the profiles right now (lock file %1). Try again in a moment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot create the lock file %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A connection with the id %1 exists already.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection '%1' no longer exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection no longer exists.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The imported connection '%1' is not valid; nothing was imported:
%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>These connections exist already: %1. Nothing was imported; choose to skip, rename or replace them.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProfileValidation</name>
    <message>
        <source>The file %1 does not exist.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The file %1 cannot be read: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter a name for the connection.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The name is too long (at most 100 characters).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The name must not contain line breaks or control characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The name must not start or end with a space.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the SMTP server's host name or IP address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>'%1' is not a valid host name or IP address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The port must be between 1 and 65535 (empty: %1, the default for the chosen security).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The timeout must be between %1 and %2 seconds.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter a character set for test messages, e.g. UTF-8.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>'%1' is not a character set name (e.g. UTF-8, ISO-8859-1, windows-1252).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The user name must not contain line breaks or control characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter a user name for %1 authentication, or choose no authentication.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>EXTERNAL authentication needs a client certificate.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 contains no PEM certificate (-----BEGIN CERTIFICATE-----).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>'%1' is not a SHA-256 fingerprint: expected 64 hexadecimal digits, colons allowed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A client key needs its certificate: choose the client certificate too.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 contains no PEM private key (-----BEGIN PRIVATE KEY-----).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the private key of the client certificate.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the proxy's host name or IP address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the proxy's port (1 to 65535).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The domain must not contain line breaks or control characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>'%1' is not a valid option name: use 1 to 64 letters, digits, '_', '-' or '.'.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The value of the option '%1' must not contain line breaks or control characters.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SaslMechanism</name>
    <message>
        <source>The server sent an empty CRAM-MD5 challenge.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server sent an unexpected %1 challenge.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server's NTLM challenge is malformed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server offers NTLM only with OEM code pages; Relaydeck requires Unicode.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server's NTLM challenge carries no target information, so it cannot do NTLMv2; Relaydeck does not use the insecure NTLMv1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The NTLM credentials are too long.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server requires a SCRAM extension Relaydeck does not support.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server reported a SCRAM error: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server's SCRAM challenge is malformed (nonce, salt or iteration count missing).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server's SCRAM nonce does not continue the client's nonce.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server's SCRAM salt is not valid base64.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server's SCRAM iteration count is not a positive number.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server asks for %1 SCRAM iterations; Relaydeck computes at most %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server refused the SCRAM login: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server's final SCRAM message has no signature.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The server's SCRAM signature is wrong: the server does not know the password, or something between Relaydeck and the server is impersonating it.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SecuritySuggestion</name>
    <message>
        <source>Switch to implicit TLS (port %1)</source>
        <translation>Zu implizitem TLS wechseln (Port %1)</translation>
    </message>
    <message>
        <source>Switch to STARTTLS (port %1)</source>
        <translation>Zu STARTTLS wechseln (Port %1)</translation>
    </message>
    <message>
        <source>Switch to no encryption (port %1)</source>
        <translation>Zu unverschlüsselt wechseln (Port %1)</translation>
    </message>
</context>
<context>
    <name>SmtpReplyParser</name>
    <message>
        <source>the server sent a line longer than %1 bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server sent a malformed reply line: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server's multi-line reply mixes the codes %1 and %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server sent a reply longer than %1 bytes</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StageNames</name>
    <message>
        <source>Look up the server</source>
        <translation>Server-Adresse auflösen</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>Verbinden</translation>
    </message>
    <message>
        <source>Server greeting</source>
        <translation>Begrüßung des Servers</translation>
    </message>
    <message>
        <source>EHLO (capabilities)</source>
        <translation>EHLO (Fähigkeiten)</translation>
    </message>
    <message>
        <source>STARTTLS</source>
        <translation>STARTTLS</translation>
    </message>
    <message>
        <source>TLS handshake and certificate</source>
        <translation>TLS-Handshake und Zertifikat</translation>
    </message>
    <message>
        <source>Authentication</source>
        <translation>Authentifizierung</translation>
    </message>
    <message>
        <source>Send the test message</source>
        <translation>Testnachricht senden</translation>
    </message>
    <message>
        <source>QUIT</source>
        <translation>QUIT</translation>
    </message>
</context>
<context>
    <name>TestMessage</name>
    <message>
        <source>Relaydeck test message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is a test message sent by Relaydeck to check an SMTP connection.
It was sent from %1 to %2. No reply is needed.
</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TestReportText</name>
    <message>
        <source>Test passed: %1:%2 accepted the test message.</source>
        <translation>Test bestanden: %1:%2 hat die Testnachricht angenommen.</translation>
    </message>
    <message>
        <source>Test passed: %1:%2 accepted the login (%3).</source>
        <translation>Test bestanden: %1:%2 hat die Anmeldung angenommen (%3).</translation>
    </message>
    <message>
        <source>Test passed: %1:%2 is reachable and ready.</source>
        <translation>Test bestanden: %1:%2 ist erreichbar und bereit.</translation>
    </message>
    <message>
        <source>Test cancelled.</source>
        <translation>Test abgebrochen.</translation>
    </message>
    <message>
        <source>Test failed at &quot;%1&quot;.</source>
        <translation>Test fehlgeschlagen bei „%1“.</translation>
    </message>
    <message>
        <source>Relaydeck connection test</source>
        <translation>Relaydeck-Verbindungstest</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Verbindung</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <source>Proxy</source>
        <translation>Proxy</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Server said</source>
        <translation>Antwort des Servers</translation>
    </message>
    <message>
        <source>Hint</source>
        <translation>Hinweis</translation>
    </message>
    <message>
        <source>Stages:</source>
        <translation>Schritte:</translation>
    </message>
    <message>
        <source>Greeting</source>
        <translation>Begrüßung</translation>
    </message>
    <message>
        <source>Capabilities</source>
        <translation>Fähigkeiten</translation>
    </message>
    <message>
        <source>Authentication mechanisms</source>
        <translation>Authentifizierungsverfahren</translation>
    </message>
    <message>
        <source>Maximum message size</source>
        <translation>Maximale Nachrichtengröße</translation>
    </message>
    <message>
        <source>Authentication</source>
        <translation>Authentifizierung</translation>
    </message>
    <message>
        <source>accepted</source>
        <translation>angenommen</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>abgelehnt</translation>
    </message>
    <message>
        <source>TLS</source>
        <translation>TLS</translation>
    </message>
    <message>
        <source>Certificate verified</source>
        <translation>Zertifikat geprüft</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <source>no</source>
        <translation>nein</translation>
    </message>
    <message>
        <source>Verification error</source>
        <translation>Prüffehler</translation>
    </message>
    <message>
        <source>Certificate %1:</source>
        <translation>Zertifikat %1:</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Inhaber</translation>
    </message>
    <message>
        <source>Issuer</source>
        <translation>Aussteller</translation>
    </message>
    <message>
        <source>Valid</source>
        <translation>Gültig</translation>
    </message>
    <message>
        <source>%1 to %2</source>
        <translation>%1 bis %2</translation>
    </message>
    <message>
        <source>Names</source>
        <translation>Namen</translation>
    </message>
    <message>
        <source>SHA-256</source>
        <translation>SHA-256</translation>
    </message>
    <message>
        <source>Transcript (AUTH payloads redacted):</source>
        <translation>Protokoll (AUTH-Daten geschwärzt):</translation>
    </message>
</context>
<context>
    <name>TlsPeerCheck</name>
    <message>
        <source>cannot read the CA file %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the CA file %1 holds no PEM certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read the client certificate or its key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the client certificate or its key is not readable PEM (or the key's passphrase is wrong)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the certificate's SHA-256 fingerprint is not the pinned one</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WidgetPrompter</name>
    <message>
        <source>Unsaved Changes</source>
        <translation>Ungespeicherte Änderungen</translation>
    </message>
    <message>
        <source>The connection &quot;%1&quot; has unsaved changes.</source>
        <translation>Die Verbindung „%1“ hat ungespeicherte Änderungen.</translation>
    </message>
    <message>
        <source>Do you want to save them?</source>
        <translation>Möchten Sie sie speichern?</translation>
    </message>
    <message>
        <source>Connections Exist Already</source>
        <translation>Verbindungen existieren bereits</translation>
    </message>
    <message numerus="yes">
        <source>%n imported connection(s) have the name of an existing one: %1</source>
        <translation>
            <numerusform>%n importierte Verbindung hat den Namen einer vorhandenen: %1</numerusform>
            <numerusform>%n importierte Verbindungen haben den Namen vorhandener: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Skip them, import them under new names, or replace the existing connections' settings (their passwords stay)?</source>
        <translation>Überspringen, unter neuen Namen importieren oder die Einstellungen der vorhandenen Verbindungen ersetzen (deren Passwörter bleiben erhalten)?</translation>
    </message>
    <message>
        <source>Import as &amp;New</source>
        <translation>Als &amp;neue importieren</translation>
    </message>
    <message>
        <source>&amp;Skip</source>
        <translation>Ü&amp;berspringen</translation>
    </message>
    <message>
        <source>&amp;Replace</source>
        <translation>&amp;Ersetzen</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Relaydeck: manage and test SMTP connections.</source>
        <translation>Relaydeck: SMTP-Verbindungen verwalten und testen.</translation>
    </message>
    <message>
        <source>Keep connections.json in DIR (default: $RELAYDECK_CONFIG_DIR, else %1).</source>
        <translation>connections.json in DIR ablegen (Vorgabe: $RELAYDECK_CONFIG_DIR, sonst %1).</translation>
    </message>
</context>
<context>
    <name>relaydeck-cli</name>
    <message>
        <source>List the stored connections.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print an array of profile objects, exactly as in connections.json.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No connections yet in %1. Create one with 'add NAME --host H' or from a preset ('presets' lists them).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NAME</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SERVER</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SECURITY</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>USER</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PROXY</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--proxy: expected none, system, socks5://[user@]host:port or http://[user@]host:port, not '%1'</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--proxy: a password never goes on the command line; give it with --proxy-password-env VAR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the environment variable %2 is not set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the environment variable %2 is empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SMTP server host name or IP address.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port (default: 587 STARTTLS, 465 TLS, 25 none; 0 restores the default).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none, starttls or tls (implicit TLS).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mechanism: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User name (empty: no authentication).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read the password (or OAuth2 token) from standard input.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Take the password (or OAuth2 token) from the environment variable VAR.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Also trust the CA certificates in this PEM file (empty: none).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accept the server certificate with this SHA-256 (hex, colons allowed); repeatable; replaces the stored pins (empty: remove them).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Do not verify the server certificate (insecure).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verify the server certificate again (the default).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Minimum TLS version: 1.2 or 1.3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client certificate (PEM) for TLS (empty: none).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Private key (PEM) of the client certificate.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Take the client key's passphrase from the environment variable VAR.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>EHLO/HELO name (default: this machine's name).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timeout in seconds (1-600).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sender address for test messages.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Character set of test messages (default UTF-8).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A description of the connection.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none, system, socks5://[user@]host:port or http://[user@]host:port.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Domain for the proxy credentials.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Take the proxy password from the environment variable VAR.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Allow credentials over an unencrypted connection.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set a free option (e.g. restart_threshold=100); KEY= removes it; repeatable.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--security: expected none, starttls or tls, not '%1'</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--port: expected a number from 1 to 65535, not '%1'</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--auth: unknown mechanism '%1' (expected %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--pin: '%1' is not a SHA-256 fingerprint (64 hex digits, colons allowed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--verify and --no-verify exclude each other</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--tls-min: expected 1.2 or 1.3, not '%1'</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--timeout: expected a number of seconds, not '%1'</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--option: expected KEY=VALUE, not '%1'</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--password-stdin and --password-env exclude each other</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--password-stdin: cannot read standard input</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--password-stdin: standard input was empty</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>relaydeck::ConnectionTest</name>
    <message>
        <source>no SMTP host is set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HELO name: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>recipient: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a test message needs a sender address: set the connection's sender (--from)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sender: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>resolved by the proxy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot resolve %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server's certificate is not the pinned one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server's certificate has expired or is not yet valid: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server's certificate is not valid for %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server's certificate is not trusted: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the proxy refused the credentials: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the proxy failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the TLS handshake failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 refused the connection on port %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot reach %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the connection failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no connection to %1 port %2 within %3 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server closed the connection before replying</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server closed the connection during the TLS handshake</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server closed the connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no reply to QUIT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the TLS handshake did not finish within %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server sent no greeting within %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no reply from the server within %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server sent a reply nobody asked for: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server refused the session: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server refused EHLO: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server refused HELO: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HELO (the server offers no extensions)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server does not offer STARTTLS; Relaydeck never falls back to plaintext</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server refused STARTTLS: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server sent data after its 220 reply to STARTTLS, before the TLS handshake: possible command injection, connection dropped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>refusing to send credentials over an unencrypted connection to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server does not offer authentication (no AUTH in its EHLO reply)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no mechanism in common: the server offers %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server does not offer %1; it offers %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Relaydeck cannot use the mechanism %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server sent more than %1 authentication challenges</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server's authentication challenge is not base64</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server accepted the login but did not prove it knows the password (%1 server signature missing)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 accepted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server refused the mechanism %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server refused the login: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>refusing to send the sender and recipient over an unencrypted connection to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Relaydeck test message (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This message was sent by Relaydeck to test the SMTP connection %1 (%2 port %3).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the test message (%1 bytes) is larger than the server's limit of %2 bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server refused the sender %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server refused the recipient %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server refused DATA: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server refused the message as too large: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server refused the message: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the test did not finish within its overall deadline of %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the test was cancelled</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>relaydeck::SmtpSession</name>
    <message>
        <source>the proxy sent data after establishing the tunnel, before the TLS handshake</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the proxy's answer to CONNECT is not a valid HTTP response</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the proxy refused the credentials (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the proxy refused to connect to %1 port %2 (%3)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>relaydeck::cli::AddCommand</name>
    <message>
        <source>Add a connection, optionally from a provider preset.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The new connection's name (unique, any case).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start from this preset (see 'presets').</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Region for presets that have regions (Amazon SES).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--region needs --preset (e.g. --preset ses --region eu-west-1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a password was given but no user name: add --user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the connection was not added:
%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Added '%1' (%2:%3, %4).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Note: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection '%1' was not added.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>relaydeck::cli::Command</name>
    <message>
        <source>Keep connections.json in DIR (default: $RELAYDECK_CONFIG_DIR, else the platform's config folder).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Usage: %1 [--config-dir DIR] %2 %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Try '%1 --help'.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>missing arguments; usage: %1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unexpected argument '%1'; usage: %2 %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no connection called '%1' (there are no connections yet; see 'add')</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no connection called '%1'; known: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>relaydeck::cli::CommandLine</name>
    <message>
        <source>Usage: relaydeck-cli [--config-dir DIR] COMMAND [ARGS]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Relaydeck keeps named SMTP connections, their secrets in the OS keychain, and tests them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Commands:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CONN options: --host H --port N --security none|starttls|tls --auth MECH --user U --password-stdin | --password-env VAR --ca-file PEM --pin SHA256 --no-verify --tls-min 1.2|1.3 --helo NAME --timeout SECONDS --from ADDR --proxy none|system|socks5://[user@]host:port|http://[user@]host:port --proxy-password-env VAR --allow-plaintext-auth</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A secret never goes on the command line. Exit codes: 0 success, 1 the test ran and failed, 2 bad usage, bad input, or a storage/keychain error (nothing changed).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>'relaydeck-cli COMMAND --help' describes each command.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--config-dir needs a folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown command '%1'; 'relaydeck-cli --help' lists the commands</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>relaydeck::cli::CopyCommand</name>
    <message>
        <source>Copy a connection and its keychain secrets under a new name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection to copy.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The copy's name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Do not copy the keychain secrets (the copy starts without passwords).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied '%1' to '%2'.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing was copied (--without-secrets copies the settings only).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>relaydeck::cli::ExportCommand</name>
    <message>
        <source>Export connections (all, or the ones named) without any secret.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connections to export (default: all).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>json (default), msmtp (an msmtprc) or dsn (one Symfony DSN per line).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write to FILE instead of standard output.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--format: expected json, msmtp or dsn, not '%1'</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Exported %n connection(s) to %1.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>relaydeck::cli::ImportCommand</name>
    <message>
        <source>Import connections from our JSON, an msmtprc or Symfony DSNs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The file to import ('-': standard input).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>auto (default: detect from the content), json, msmtp or dsn.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When a name exists already: fail (default; nothing changes), skip, rename or replace.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--format: expected auto, json, msmtp or dsn, not '%1'</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--on-conflict: expected fail, skip, rename or replace, not '%1'</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read standard input</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 (nothing was imported)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not imported from %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Imported %n connection(s) (%1)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>added: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>replaced: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>skipped (name exists): %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>'%1' renamed to '%2'</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Passwords are not part of an import; set them with 'set NAME --password-stdin'.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>relaydeck::cli::PresetsCommand</name>
    <message>
        <source>List the provider presets for 'add --preset ID'.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print the presets as a JSON array.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(your server)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, or %1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>user: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--region (default %1): %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>relaydeck::cli::RemoveCommand</name>
    <message>
        <source>Remove a connection and its keychain secrets.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection to remove.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Leave its keychain entries alone (e.g. when no keyring is reachable).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Removed '%1'.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warning: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>'%1' was not removed (--keep-secrets removes it and leaves the keychain alone).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>relaydeck::cli::RenameCommand</name>
    <message>
        <source>Rename a connection (its secrets stay with it).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection's current name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The new name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Renamed '%1' to '%2'.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>relaydeck::cli::SetCommand</name>
    <message>
        <source>Change a stored connection (only the options given).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection's name (any case).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a password was given but the connection has no user name: add --user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>'%1' was not changed:
%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to change in '%1'.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Updated '%1'.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The keychain holds its secrets.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>'%1' was not changed.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>relaydeck::cli::ShowCommand</name>
    <message>
        <source>Show one connection.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection's name (any case).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print the profile object exactly as in connections.json.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Description</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (default port)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Security</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Timeout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sender</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HELO name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Charset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Authentication</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Plaintext auth allowed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verify certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Minimum TLS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CA file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pinned SHA-256</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Client key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Proxy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Proxy domain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Option %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keychain key</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>relaydeck::cli::TestCommand</name>
    <message>
        <source>Test a stored connection, or an ad-hoc one given with CONN options.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A stored connection (omit it to test only what CONN describes).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Also send a test message to ADDR (default: stop after AUTH).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subject of the test message.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print the test report as JSON.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Include the SMTP transcript (AUTH payloads are redacted).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>give a stored connection's NAME, or --host for an ad-hoc test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot test this connection:
%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give the password for this run with --password-stdin or --password-env VAR.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warning: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--user needs a password: give it with --password-stdin or --password-env VAR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no password is stored for '%1'. Store one with 'set NAME --password-stdin', or give it for this run with --password-stdin or --password-env VAR.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Testing %1%2:%3 (%4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transcript:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Proxy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Greeting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Capabilities</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>certificate verified</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>certificate NOT verified</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TLS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TLS error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, issued by %2, valid until %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SHA-256</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Auth</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>accepted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test passed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test failed at %1: %2 (%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server said</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hint</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>relaydeck::ui::AuthenticationTab</name>
    <message>
        <source>&amp;No authentication</source>
        <translation>&amp;Keine Authentifizierung</translation>
    </message>
    <message>
        <source>User name and pass&amp;word</source>
        <translation>Benutzername und Pass&amp;wort</translation>
    </message>
    <message>
        <source>Anon&amp;ymous (SASL ANONYMOUS)</source>
        <translation>Anon&amp;ym (SASL ANONYMOUS)</translation>
    </message>
    <message>
        <source>C&amp;lient certificate (SASL EXTERNAL)</source>
        <translation>C&amp;lient-Zertifikat (SASL EXTERNAL)</translation>
    </message>
    <message>
        <source>Allow authentication &amp;over an unencrypted connection</source>
        <translation>Authentifizierung über eine &amp;unverschlüsselte Verbindung erlauben</translation>
    </message>
    <message>
        <source>Automatic — the strongest the server offers</source>
        <translation>Automatisch – das stärkste, das der Server anbietet</translation>
    </message>
    <message>
        <source>XOAUTH2 (OAuth 2.0 access token)</source>
        <translation>XOAUTH2 (OAuth-2.0-Zugriffstoken)</translation>
    </message>
    <message>
        <source>OAUTHBEARER (OAuth 2.0 access token)</source>
        <translation>OAUTHBEARER (OAuth-2.0-Zugriffstoken)</translation>
    </message>
    <message>
        <source>Automatic picks the strongest mechanism both sides support and never silently falls back to a weaker one you excluded.</source>
        <translation>„Automatisch“ wählt das stärkste Verfahren, das beide Seiten beherrschen, und weicht nie stillschweigend auf ein schwächeres aus, das Sie ausgeschlossen haben.</translation>
    </message>
    <message>
        <source>e.g. name@example.com</source>
        <translation>z. B. name@example.com</translation>
    </message>
    <message>
        <source>not stored</source>
        <translation>nicht gespeichert</translation>
    </message>
    <message>
        <source>The password is kept in the system keychain, never in a file or an export.</source>
        <translation>Das Passwort liegt im Schlüsselbund des Systems, nie in einer Datei oder einem Export.</translation>
    </message>
    <message>
        <source>Off by default: without TLS the password crosses the network readable by anyone on the path.</source>
        <translation>Standardmäßig aus: Ohne TLS kann jeder auf dem Übertragungsweg das Passwort mitlesen.</translation>
    </message>
    <message>
        <source>Warning: with security set to None the user name and password travel unencrypted. Allow this only for a relay on a network you trust.</source>
        <translation>Achtung: Ohne Verschlüsselung werden Benutzername und Passwort im Klartext übertragen. Erlauben Sie das nur für ein Relay in einem Netz, dem Sie vertrauen.</translation>
    </message>
    <message>
        <source>Log on using</source>
        <translation>Anmelden mit</translation>
    </message>
    <message>
        <source>&amp;Mechanism:</source>
        <translation>&amp;Verfahren:</translation>
    </message>
    <message>
        <source>&amp;User name:</source>
        <translation>&amp;Benutzername:</translation>
    </message>
    <message>
        <source>reading from the keychain…</source>
        <translation>wird aus dem Schlüsselbund gelesen …</translation>
    </message>
    <message>
        <source>Access &amp;token:</source>
        <translation>Zugriffs&amp;token:</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Passwort:</translation>
    </message>
    <message>
        <source>Without a user name the connection sends without authentication.</source>
        <translation>Ohne Benutzernamen sendet die Verbindung ohne Authentifizierung.</translation>
    </message>
    <message>
        <source>Paste a current OAuth 2.0 access token as the password; Relaydeck does not fetch tokens itself.</source>
        <translation>Fügen Sie ein aktuelles OAuth-2.0-Zugriffstoken als Passwort ein; Relaydeck holt selbst keine Tokens.</translation>
    </message>
</context>
<context>
    <name>relaydeck::ui::Banner</name>
    <message>
        <source>&amp;Dismiss</source>
        <translation>&amp;Schließen</translation>
    </message>
</context>
<context>
    <name>relaydeck::ui::ConnectionEditor</name>
    <message>
        <source>Re&amp;vert</source>
        <translation>&amp;Zurücksetzen</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <source>&amp;Main</source>
        <translation>&amp;Allgemein</translation>
    </message>
    <message>
        <source>A&amp;uthentication</source>
        <translation>A&amp;uthentifizierung</translation>
    </message>
    <message>
        <source>&amp;Encryption</source>
        <translation>V&amp;erschlüsselung</translation>
    </message>
    <message>
        <source>Pro&amp;xy</source>
        <translation>Pro&amp;xy</translation>
    </message>
    <message>
        <source>Throw away the changes since the last save</source>
        <translation>Die Änderungen seit dem letzten Speichern verwerfen</translation>
    </message>
    <message>
        <source>Save this connection (Ctrl+S)</source>
        <translation>Diese Verbindung speichern (Strg+S)</translation>
    </message>
    <message numerus="yes">
        <source>%n field(s) on this tab need attention</source>
        <translation>
            <numerusform>%n Feld auf dieser Registerkarte muss korrigiert werden</numerusform>
            <numerusform>%n Felder auf dieser Registerkarte müssen korrigiert werden</numerusform>
        </translation>
    </message>
    <message>
        <source>No connection selected</source>
        <translation>Keine Verbindung ausgewählt</translation>
    </message>
    <message>
        <source>Unnamed connection</source>
        <translation>Unbenannte Verbindung</translation>
    </message>
    <message>
        <source>%1 (new, not saved yet)</source>
        <translation>%1 (neu, noch nicht gespeichert)</translation>
    </message>
    <message>
        <source>%1 (unsaved changes)</source>
        <translation>%1 (ungespeicherte Änderungen)</translation>
    </message>
</context>
<context>
    <name>relaydeck::ui::ConnectionListModel</name>
    <message>
        <source>no encryption</source>
        <translation>unverschlüsselt</translation>
    </message>
    <message>
        <source>STARTTLS</source>
        <translation>STARTTLS</translation>
    </message>
    <message>
        <source>implicit TLS</source>
        <translation>implizites TLS</translation>
    </message>
    <message>
        <source>Not tested yet</source>
        <translation>Noch nicht getestet</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>Wird getestet …</translation>
    </message>
    <message>
        <source>Passed %1</source>
        <translation>Bestanden %1</translation>
    </message>
    <message>
        <source>Failed %1</source>
        <translation>Fehlgeschlagen %1</translation>
    </message>
    <message>
        <source>Not tested %1</source>
        <translation>Nicht getestet %1</translation>
    </message>
    <message>
        <source>(no server)</source>
        <translation>(kein Server)</translation>
    </message>
</context>
<context>
    <name>relaydeck::ui::EncryptionTab</name>
    <message>
        <source>&amp;Verify the server's certificate</source>
        <translation>Zertifikat des Servers &amp;prüfen</translation>
    </message>
    <message>
        <source>&amp;Add…</source>
        <translation>&amp;Hinzufügen …</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>E&amp;ntfernen</translation>
    </message>
    <message>
        <source>None — unencrypted (usually port 25)</source>
        <translation>Keine – unverschlüsselt (meist Port 25)</translation>
    </message>
    <message>
        <source>STARTTLS — upgrade after connecting (usually port 587)</source>
        <translation>STARTTLS – nach dem Verbinden verschlüsseln (meist Port 587)</translation>
    </message>
    <message>
        <source>Implicit TLS — SMTPS (usually port 465)</source>
        <translation>Implizites TLS – SMTPS (meist Port 465)</translation>
    </message>
    <message>
        <source>TLS 1.2</source>
        <translation>TLS 1.2</translation>
    </message>
    <message>
        <source>TLS 1.3</source>
        <translation>TLS 1.3</translation>
    </message>
    <message>
        <source>Older protocols (SSL, TLS 1.0 and 1.1) are never offered.</source>
        <translation>Ältere Protokolle (SSL, TLS 1.0 und 1.1) werden nie angeboten.</translation>
    </message>
    <message>
        <source>Warning: without verification anyone on the path can pose as the server and read the password. Prefer pinning the server's certificate (run a test, then &quot;Trust this certificate&quot;).</source>
        <translation>Achtung: Ohne Prüfung kann sich jeder auf dem Übertragungsweg als der Server ausgeben und das Passwort lesen. Besser das Zertifikat des Servers fest hinterlegen (Test ausführen, dann „Diesem Zertifikat vertrauen“).</translation>
    </message>
    <message>
        <source>optional: PEM file with additional trusted CAs</source>
        <translation>optional: PEM-Datei mit weiteren vertrauenswürdigen Zertifizierungsstellen</translation>
    </message>
    <message>
        <source>Choose a file</source>
        <translation>Datei auswählen</translation>
    </message>
    <message>
        <source>A pinned certificate is accepted for this connection even if no CA vouches for it; only that exact certificate.</source>
        <translation>Ein hinterlegtes Zertifikat wird für diese Verbindung akzeptiert, auch wenn keine Zertifizierungsstelle dafür bürgt – genau dieses Zertifikat und kein anderes.</translation>
    </message>
    <message>
        <source>optional: PEM certificate</source>
        <translation>optional: PEM-Zertifikat</translation>
    </message>
    <message>
        <source>PEM private key (empty: in the certificate file)</source>
        <translation>privater PEM-Schlüssel (leer: in der Zertifikatsdatei)</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>Securit&amp;y:</source>
        <translation>&amp;Sicherheit:</translation>
    </message>
    <message>
        <source>&amp;Minimum TLS version:</source>
        <translation>&amp;Mindestens TLS-Version:</translation>
    </message>
    <message>
        <source>Server certificate</source>
        <translation>Server-Zertifikat</translation>
    </message>
    <message>
        <source>C&amp;A file:</source>
        <translation>&amp;CA-Datei:</translation>
    </message>
    <message>
        <source>Pi&amp;nned (SHA-256):</source>
        <translation>&amp;Hinterlegt (SHA-256):</translation>
    </message>
    <message>
        <source>Client certificate</source>
        <translation>Client-Zertifikat</translation>
    </message>
    <message>
        <source>Certif&amp;icate:</source>
        <translation>Zert&amp;ifikat:</translation>
    </message>
    <message>
        <source>&amp;Key:</source>
        <translation>Schl&amp;üssel:</translation>
    </message>
    <message>
        <source>Key pass&amp;phrase:</source>
        <translation>Schlüssel-Pass&amp;phrase:</translation>
    </message>
    <message>
        <source>Choose a CA Certificates File</source>
        <translation>Datei mit CA-Zertifikaten auswählen</translation>
    </message>
    <message>
        <source>PEM certificates (*.pem *.crt *.cer);;All files (*)</source>
        <translation>PEM-Zertifikate (*.pem *.crt *.cer);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Choose the Client Certificate</source>
        <translation>Client-Zertifikat auswählen</translation>
    </message>
    <message>
        <source>Choose the Client Key</source>
        <translation>Client-Schlüssel auswählen</translation>
    </message>
    <message>
        <source>PEM private keys (*.pem *.key);;All files (*)</source>
        <translation>Private PEM-Schlüssel (*.pem *.key);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>reading from the keychain…</source>
        <translation>wird aus dem Schlüsselbund gelesen …</translation>
    </message>
    <message>
        <source>Pin a Certificate</source>
        <translation>Zertifikat hinterlegen</translation>
    </message>
    <message>
        <source>SHA-256 fingerprint of the server's certificate (64 hex digits, colons allowed):</source>
        <translation>SHA-256-Fingerabdruck des Server-Zertifikats (64 Hexadezimalziffern, Doppelpunkte erlaubt):</translation>
    </message>
    <message>
        <source>Nothing is encrypted. Use this only for a relay on a trusted network; passwords are refused unless you allow plaintext authentication.</source>
        <translation>Nichts wird verschlüsselt. Nur für ein Relay in einem vertrauenswürdigen Netz verwenden; Passwörter werden verweigert, solange Sie Klartext-Authentifizierung nicht erlauben.</translation>
    </message>
    <message>
        <source>Connects unencrypted, then requires STARTTLS before anything else is sent. Never falls back to plain text.</source>
        <translation>Verbindet unverschlüsselt und verlangt dann STARTTLS, bevor irgendetwas anderes gesendet wird. Fällt nie auf Klartext zurück.</translation>
    </message>
    <message>
        <source>TLS from the first byte (SMTPS).</source>
        <translation>TLS ab dem ersten Byte (SMTPS).</translation>
    </message>
</context>
<context>
    <name>relaydeck::ui::ExportDialog</name>
    <message>
        <source>Export Connections</source>
        <translation>Verbindungen exportieren</translation>
    </message>
    <message>
        <source>Relaydeck (JSON)</source>
        <translation>Relaydeck (JSON)</translation>
    </message>
    <message>
        <source>msmtp configuration (msmtprc)</source>
        <translation>msmtp-Konfiguration (msmtprc)</translation>
    </message>
    <message>
        <source>Symfony Mailer DSN (one per line)</source>
        <translation>Symfony-Mailer-DSN (eine pro Zeile)</translation>
    </message>
    <message>
        <source>Select &amp;All</source>
        <translation>&amp;Alle auswählen</translation>
    </message>
    <message>
        <source>Select &amp;None</source>
        <translation>&amp;Keine auswählen</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>&amp;Exportieren …</translation>
    </message>
    <message>
        <source>&amp;Format:</source>
        <translation>&amp;Format:</translation>
    </message>
    <message>
        <source>&amp;Connections:</source>
        <translation>&amp;Verbindungen:</translation>
    </message>
    <message>
        <source>Passwords and other secrets are never exported.</source>
        <translation>Passwörter und andere Geheimnisse werden nie exportiert.</translation>
    </message>
    <message>
        <source>Relaydeck JSON (*.json)</source>
        <translation>Relaydeck-JSON (*.json)</translation>
    </message>
    <message>
        <source>msmtp configuration (*.msmtprc *.conf *)</source>
        <translation>msmtp-Konfiguration (*.msmtprc *.conf *)</translation>
    </message>
    <message>
        <source>DSN lists (*.txt *.env *)</source>
        <translation>DSN-Listen (*.txt *.env *)</translation>
    </message>
    <message>
        <source>Everything Relaydeck knows about the connections; import it into Relaydeck on another computer.</source>
        <translation>Alles, was Relaydeck über die Verbindungen weiß; zum Import in Relaydeck auf einem anderen Rechner.</translation>
    </message>
    <message>
        <source>One account per connection. The password is read from the keychain with secret-tool, so the file works with msmtp on this computer as it is.</source>
        <translation>Ein Konto je Verbindung. Das Passwort wird mit secret-tool aus dem Schlüsselbund gelesen, so dass die Datei mit msmtp auf diesem Rechner unverändert funktioniert.</translation>
    </message>
    <message>
        <source>smtp:// and smtps:// URLs for Symfony Mailer and similar tools, without passwords.</source>
        <translation>smtp://- und smtps://-URLs für Symfony Mailer und ähnliche Werkzeuge, ohne Passwörter.</translation>
    </message>
</context>
<context>
    <name>relaydeck::ui::MainTab</name>
    <message>
        <source>A&amp;dd Option</source>
        <translation>Option hin&amp;zufügen</translation>
    </message>
    <message>
        <source>Remo&amp;ve Option</source>
        <translation>Option entfe&amp;rnen</translation>
    </message>
    <message>
        <source>e.g. Office relay</source>
        <translation>z. B. Büro-Relay</translation>
    </message>
    <message>
        <source>What this connection is for (optional)</source>
        <translation>Wofür diese Verbindung dient (optional)</translation>
    </message>
    <message>
        <source>smtp.example.com or an IP address</source>
        <translation>smtp.example.com oder eine IP-Adresse</translation>
    </message>
    <message>
        <source>587 for STARTTLS, 465 for implicit TLS, 25 for relays without encryption. It follows the security mode while it holds that mode's default.</source>
        <translation>587 für STARTTLS, 465 für implizites TLS, 25 für Relays ohne Verschlüsselung. Der Port folgt dem Sicherheitsmodus, solange er dessen Standardwert hat.</translation>
    </message>
    <message>
        <source> s</source>
        <comment>seconds</comment>
        <translation> s</translation>
    </message>
    <message>
        <source>How long to wait for the connection and for each server reply.</source>
        <translation>Wie lange auf den Verbindungsaufbau und auf jede Antwort des Servers gewartet wird.</translation>
    </message>
    <message>
        <source>name@example.com (for test messages)</source>
        <translation>name@example.com (für Testnachrichten)</translation>
    </message>
    <message>
        <source>empty: this computer's host name</source>
        <translation>leer: Hostname dieses Rechners</translation>
    </message>
    <message>
        <source>The name Relaydeck gives in EHLO/HELO (the local domain).</source>
        <translation>Der Name, den Relaydeck bei EHLO/HELO angibt (die lokale Domain).</translation>
    </message>
    <message>
        <source>Character set (code page) of test messages.</source>
        <translation>Zeichensatz (Codepage) der Testnachrichten.</translation>
    </message>
    <message>
        <source>Option</source>
        <translation>Option</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>Free options passed on to DSN exports, e.g. restart_threshold, restart_threshold_sleep, ping_threshold.</source>
        <translation>Freie Optionen, die an DSN-Exporte weitergegeben werden, z. B. restart_threshold, restart_threshold_sleep, ping_threshold.</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>&amp;Description:</source>
        <translation>&amp;Beschreibung:</translation>
    </message>
    <message>
        <source>Se&amp;rver:</source>
        <translation>Se&amp;rver:</translation>
    </message>
    <message>
        <source>T&amp;imeout:</source>
        <translation>Zeitl&amp;imit:</translation>
    </message>
    <message>
        <source>&amp;Port:</source>
        <translation>&amp;Port:</translation>
    </message>
    <message>
        <source>Sender &amp;address:</source>
        <translation>Absender&amp;adresse:</translation>
    </message>
    <message>
        <source>HELO/EH&amp;LO name:</source>
        <translation>HELO/EH&amp;LO-Name:</translation>
    </message>
    <message>
        <source>Character set (code pa&amp;ge):</source>
        <translation>Zeichensatz (Code&amp;page):</translation>
    </message>
    <message>
        <source>&amp;Options:</source>
        <translation>&amp;Optionen:</translation>
    </message>
</context>
<context>
    <name>relaydeck::ui::MainWindow</name>
    <message>
        <source>Authenticated with %1.</source>
        <translation>Mit %1 authentifiziert.</translation>
    </message>
    <message>
        <source>Connected; no authentication configured.</source>
        <translation>Verbunden; keine Authentifizierung eingerichtet.</translation>
    </message>
    <message>
        <source>Relaydeck</source>
        <translation>Relaydeck</translation>
    </message>
    <message>
        <source>Name, server or user</source>
        <translation>Name, Server oder Benutzer</translation>
    </message>
    <message>
        <source>&amp;Filter:</source>
        <translation>&amp;Filter:</translation>
    </message>
    <message>
        <source>Relaydeck will use the keychain again. Save a connection to store its password there.</source>
        <translation>Relaydeck verwendet den Schlüsselbund wieder. Speichern Sie eine Verbindung, um ihr Passwort dort abzulegen.</translation>
    </message>
    <message>
        <source>Testing all connections: %1 of %2 done…</source>
        <translation>Alle Verbindungen werden getestet: %1 von %2 erledigt …</translation>
    </message>
    <message>
        <source>Test all finished: %1 passed, %2 failed, %3 not tested.</source>
        <translation>Alle getestet: %1 bestanden, %2 fehlgeschlagen, %3 nicht getestet.</translation>
    </message>
    <message>
        <source>&amp;New Blank Connection</source>
        <translation>&amp;Neue leere Verbindung</translation>
    </message>
    <message>
        <source>Create a connection from an empty form</source>
        <translation>Eine Verbindung mit einem leeren Formular anlegen</translation>
    </message>
    <message>
        <source>New from &amp;Preset…</source>
        <translation>Neu aus &amp;Vorlage …</translation>
    </message>
    <message>
        <source>Create a connection from a provider's settings (Gmail, Office 365, SES, …)</source>
        <translation>Eine Verbindung mit den Einstellungen eines Anbieters anlegen (Gmail, Office 365, SES, …)</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Speichern</translation>
    </message>
    <message>
        <source>Save the connection in the editor</source>
        <translation>Die Verbindung im Editor speichern</translation>
    </message>
    <message>
        <source>Re&amp;vert</source>
        <translation>&amp;Zurücksetzen</translation>
    </message>
    <message>
        <source>Throw away the changes since the last save</source>
        <translation>Die Änderungen seit dem letzten Speichern verwerfen</translation>
    </message>
    <message>
        <source>&amp;Copy…</source>
        <translation>&amp;Kopieren …</translation>
    </message>
    <message>
        <source>Copy the selected connection, with its passwords</source>
        <translation>Die ausgewählte Verbindung samt Passwörtern kopieren</translation>
    </message>
    <message>
        <source>&amp;Rename…</source>
        <translation>&amp;Umbenennen …</translation>
    </message>
    <message>
        <source>Rename the selected connection</source>
        <translation>Die ausgewählte Verbindung umbenennen</translation>
    </message>
    <message>
        <source>&amp;Delete…</source>
        <translation>&amp;Löschen …</translation>
    </message>
    <message>
        <source>Delete the selected connection and its passwords</source>
        <translation>Die ausgewählte Verbindung und ihre Passwörter löschen</translation>
    </message>
    <message>
        <source>&amp;Import…</source>
        <translation>&amp;Importieren …</translation>
    </message>
    <message>
        <source>Import connections from Relaydeck JSON, an msmtprc or DSN lines</source>
        <translation>Verbindungen aus Relaydeck-JSON, einer msmtprc oder DSN-Zeilen importieren</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>&amp;Exportieren …</translation>
    </message>
    <message>
        <source>Export connections without their passwords</source>
        <translation>Verbindungen ohne ihre Passwörter exportieren</translation>
    </message>
    <message>
        <source>&amp;Test</source>
        <translation>&amp;Testen</translation>
    </message>
    <message>
        <source>Test the connection in the editor</source>
        <translation>Die Verbindung im Editor testen</translation>
    </message>
    <message>
        <source>Test &amp;All</source>
        <translation>&amp;Alle testen</translation>
    </message>
    <message>
        <source>Test every saved connection, several at a time</source>
        <translation>Alle gespeicherten Verbindungen testen, mehrere gleichzeitig</translation>
    </message>
    <message>
        <source>&amp;Stop Testing</source>
        <translation>Tests a&amp;bbrechen</translation>
    </message>
    <message>
        <source>Stop the running tests</source>
        <translation>Die laufenden Tests abbrechen</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>Quit Relaydeck</source>
        <translation>Relaydeck beenden</translation>
    </message>
    <message>
        <source>New from Pr&amp;eset</source>
        <translation>Neu aus V&amp;orlage</translation>
    </message>
    <message>
        <source>&amp;Connection</source>
        <translation>&amp;Verbindung</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About Relaydeck</source>
        <translation>Ü&amp;ber Relaydeck</translation>
    </message>
    <message>
        <source>About Relaydeck</source>
        <translation>Über Relaydeck</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Relaydeck %1&lt;/h3&gt;&lt;p&gt;Keeps SMTP connection profiles, tests them step by step and explains what failed.&lt;/p&gt;&lt;p&gt;Passwords live in the system keychain. The command line tool &lt;code&gt;relaydeck-cli&lt;/code&gt; does everything this window does.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Relaydeck %1&lt;/h3&gt;&lt;p&gt;Verwaltet SMTP-Verbindungsprofile, testet sie Schritt für Schritt und erklärt, was fehlgeschlagen ist.&lt;/p&gt;&lt;p&gt;Passwörter liegen im Schlüsselbund des Systems. Das Kommandozeilenwerkzeug &lt;code&gt;relaydeck-cli&lt;/code&gt; kann alles, was dieses Fenster kann.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>Über &amp;Qt</translation>
    </message>
    <message>
        <source>Main Toolbar</source>
        <translation>Hauptwerkzeugleiste</translation>
    </message>
    <message>
        <source>New</source>
        <translation>Neu</translation>
    </message>
    <message>
        <source>No connections yet</source>
        <translation>Noch keine Verbindungen</translation>
    </message>
    <message>
        <source>Start from a provider preset (Gmail, Microsoft 365, Amazon SES, your Exchange server and more), from a blank form, or import the connections you already have (Relaydeck JSON, an msmtprc, Symfony DSNs).</source>
        <translation>Beginnen Sie mit der Vorlage eines Anbieters (Gmail, Microsoft 365, Amazon SES, Ihr Exchange-Server und mehr), mit einem leeren Formular, oder importieren Sie Ihre vorhandenen Verbindungen (Relaydeck-JSON, eine msmtprc, Symfony-DSNs).</translation>
    </message>
    <message>
        <source>&amp;Blank Connection</source>
        <translation>&amp;Leere Verbindung</translation>
    </message>
    <message>
        <source>The connections cannot be read, so nothing can be changed until this is fixed: %1</source>
        <translation>Die Verbindungen können nicht gelesen werden; bis das behoben ist, lässt sich nichts ändern: %1</translation>
    </message>
    <message>
        <source>&amp;Reload</source>
        <translation>&amp;Neu laden</translation>
    </message>
    <message numerus="yes">
        <source>%n connection(s)</source>
        <translation>
            <numerusform>%n Verbindung</numerusform>
            <numerusform>%n Verbindungen</numerusform>
        </translation>
    </message>
    <message>
        <source>Unnamed connection</source>
        <translation>Unbenannte Verbindung</translation>
    </message>
    <message>
        <source>The connection was not saved: fix the marked fields first.</source>
        <translation>Die Verbindung wurde nicht gespeichert: Korrigieren Sie zuerst die markierten Felder.</translation>
    </message>
    <message>
        <source>New connection</source>
        <translation>Neue Verbindung</translation>
    </message>
    <message>
        <source>Fill in the server, then Save.</source>
        <translation>Tragen Sie den Server ein und speichern Sie dann.</translation>
    </message>
    <message>
        <source>Choose the Region</source>
        <translation>Region auswählen</translation>
    </message>
    <message>
        <source>%1 region:</source>
        <translation>Region für %1:</translation>
    </message>
    <message>
        <source>Preset Not Available</source>
        <translation>Vorlage nicht verfügbar</translation>
    </message>
    <message>
        <source>New connection from the preset &quot;%1&quot;: enter your login, then Save.</source>
        <translation>Neue Verbindung aus der Vorlage „%1“: Geben Sie Ihre Anmeldedaten ein und speichern Sie dann.</translation>
    </message>
    <message>
        <source>Connection Not Saved</source>
        <translation>Verbindung nicht gespeichert</translation>
    </message>
    <message>
        <source>Saved &quot;%1&quot;.</source>
        <translation>„%1“ gespeichert.</translation>
    </message>
    <message>
        <source>Saved &quot;%1&quot;; its password is kept for this session only.</source>
        <translation>„%1“ gespeichert; das Passwort wird nur für diese Sitzung aufbewahrt.</translation>
    </message>
    <message>
        <source>Copy Connection</source>
        <translation>Verbindung kopieren</translation>
    </message>
    <message>
        <source>Name of the copy:</source>
        <translation>Name der Kopie:</translation>
    </message>
    <message>
        <source>%1 (copy)</source>
        <translation>%1 (Kopie)</translation>
    </message>
    <message>
        <source>Connection Not Copied</source>
        <translation>Verbindung nicht kopiert</translation>
    </message>
    <message>
        <source>Copied to &quot;%1&quot;.</source>
        <translation>Nach „%1“ kopiert.</translation>
    </message>
    <message>
        <source>Rename Connection</source>
        <translation>Verbindung umbenennen</translation>
    </message>
    <message>
        <source>New name for &quot;%1&quot;:</source>
        <translation>Neuer Name für „%1“:</translation>
    </message>
    <message>
        <source>Connection Not Renamed</source>
        <translation>Verbindung nicht umbenannt</translation>
    </message>
    <message>
        <source>Renamed &quot;%1&quot; to &quot;%2&quot;.</source>
        <translation>„%1“ in „%2“ umbenannt.</translation>
    </message>
    <message>
        <source>Delete Connection</source>
        <translation>Verbindung löschen</translation>
    </message>
    <message>
        <source>Delete the connection &quot;%1&quot; and its stored passwords? This cannot be undone.</source>
        <translation>Die Verbindung „%1“ und ihre gespeicherten Passwörter löschen? Das lässt sich nicht rückgängig machen.</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Löschen</translation>
    </message>
    <message>
        <source>Connection Not Deleted</source>
        <translation>Verbindung nicht gelöscht</translation>
    </message>
    <message>
        <source>Deleted &quot;%1&quot;.</source>
        <translation>„%1“ gelöscht.</translation>
    </message>
    <message>
        <source>Import Connections</source>
        <translation>Verbindungen importieren</translation>
    </message>
    <message>
        <source>Connection files (*.json *msmtprc* *.conf *.txt *.env);;Relaydeck JSON (*.json);;msmtp configuration (*msmtprc* *.conf);;DSN lines (*.txt *.env);;All files (*)</source>
        <translation>Verbindungsdateien (*.json *msmtprc* *.conf *.txt *.env);;Relaydeck-JSON (*.json);;msmtp-Konfiguration (*msmtprc* *.conf);;DSN-Zeilen (*.txt *.env);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Nothing Imported</source>
        <translation>Nichts importiert</translation>
    </message>
    <message>
        <source>%1 cannot be read: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>%1: %2

Nothing was imported.</source>
        <translation>%1: %2

Es wurde nichts importiert.</translation>
    </message>
    <message numerus="yes">
        <source>Imported %n connection(s) from %1.</source>
        <translation>
            <numerusform>%n Verbindung aus %1 importiert.</numerusform>
            <numerusform>%n Verbindungen aus %1 importiert.</numerusform>
        </translation>
    </message>
    <message>
        <source>Replaced the settings of &quot;%1&quot; (its passwords stay).</source>
        <translation>Einstellungen von „%1“ ersetzt (die Passwörter bleiben erhalten).</translation>
    </message>
    <message>
        <source>&quot;%1&quot; was imported as &quot;%2&quot;.</source>
        <translation>„%1“ wurde als „%2“ importiert.</translation>
    </message>
    <message>
        <source>Skipped &quot;%1&quot;: the name exists.</source>
        <translation>„%1“ übersprungen: Der Name existiert bereits.</translation>
    </message>
    <message>
        <source>Passwords are not part of an import: enter them on the Authentication tab.</source>
        <translation>Passwörter werden nicht mit importiert: Geben Sie sie auf der Registerkarte „Authentifizierung“ ein.</translation>
    </message>
    <message>
        <source>Not imported (no equivalent in Relaydeck):</source>
        <translation>Nicht importiert (keine Entsprechung in Relaydeck):</translation>
    </message>
    <message numerus="yes">
        <source>%n setting(s) could not be mapped; see the details.</source>
        <translation>
            <numerusform>%n Einstellung konnte nicht übernommen werden; siehe Details.</numerusform>
            <numerusform>%n Einstellungen konnten nicht übernommen werden; siehe Details.</numerusform>
        </translation>
    </message>
    <message>
        <source>Import Finished</source>
        <translation>Import abgeschlossen</translation>
    </message>
    <message>
        <source>Export Connections</source>
        <translation>Verbindungen exportieren</translation>
    </message>
    <message>
        <source>Nothing Exported</source>
        <translation>Nichts exportiert</translation>
    </message>
    <message>
        <source>%1 cannot be written: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n connection(s) to %1.</source>
        <translation>
            <numerusform>%n Verbindung nach %1 exportiert.</numerusform>
            <numerusform>%n Verbindungen nach %1 exportiert.</numerusform>
        </translation>
    </message>
    <message>
        <source>Unsaved changes in the editor are not part of it.</source>
        <translation>Ungespeicherte Änderungen im Editor sind nicht enthalten.</translation>
    </message>
    <message>
        <source>Fix the marked fields before testing.</source>
        <translation>Korrigieren Sie vor dem Test die markierten Felder.</translation>
    </message>
    <message>
        <source>Send a test message to: %1</source>
        <translation>Testnachricht senden an: %1</translation>
    </message>
    <message>
        <source>Test cancelled.</source>
        <translation>Test abgebrochen.</translation>
    </message>
    <message>
        <source>Pinned the certificate; testing again.</source>
        <translation>Zertifikat hinterlegt; es wird erneut getestet.</translation>
    </message>
    <message>
        <source>Switched to %1 on port %2; Save to keep it.</source>
        <translation>Auf %1 an Port %2 umgestellt; speichern Sie, um es zu behalten.</translation>
    </message>
    <message>
        <source>The system keychain is not available: %1
Passwords you enter are kept for this session only and are not written anywhere. Start or unlock your keyring (e.g. GNOME Keyring or KWallet), then choose Retry and save the connection again.</source>
        <translation>Der Schlüsselbund des Systems ist nicht verfügbar: %1
Eingegebene Passwörter werden nur für diese Sitzung aufbewahrt und nirgends gespeichert. Starten oder entsperren Sie Ihren Schlüsselbund (z. B. GNOME Keyring oder KWallet), wählen Sie dann „Erneut versuchen“ und speichern Sie die Verbindung noch einmal.</translation>
    </message>
    <message>
        <source>&amp;Retry</source>
        <translation>&amp;Erneut versuchen</translation>
    </message>
    <message>
        <source>Fix the marked fields first</source>
        <translation>Korrigieren Sie zuerst die markierten Felder</translation>
    </message>
    <message>
        <source>Select or create a connection first</source>
        <translation>Wählen Sie zuerst eine Verbindung aus oder legen Sie eine an</translation>
    </message>
    <message>
        <source>%1[*] — Relaydeck</source>
        <translation>%1[*] – Relaydeck</translation>
    </message>
</context>
<context>
    <name>relaydeck::ui::PasswordField</name>
    <message>
        <source>Hide</source>
        <translation>Verbergen</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Anzeigen</translation>
    </message>
    <message>
        <source>Hide the text</source>
        <translation>Den Text verbergen</translation>
    </message>
    <message>
        <source>Show the text in clear</source>
        <translation>Den Text im Klartext anzeigen</translation>
    </message>
</context>
<context>
    <name>relaydeck::ui::PresetDialog</name>
    <message>
        <source>&amp;Region:</source>
        <translation>&amp;Region:</translation>
    </message>
    <message>
        <source>New Connection from Preset</source>
        <translation>Neue Verbindung aus Vorlage</translation>
    </message>
    <message>
        <source>&amp;Provider:</source>
        <translation>&amp;Anbieter:</translation>
    </message>
    <message>
        <source>&amp;Create</source>
        <translation>&amp;Anlegen</translation>
    </message>
    <message>
        <source>your server's name</source>
        <translation>der Name Ihres Servers</translation>
    </message>
    <message>
        <source>Server: %1, port %2, %3</source>
        <translation>Server: %1, Port %2, %3</translation>
    </message>
    <message>
        <source>Also possible: port %1, %2</source>
        <translation>Ebenfalls möglich: Port %1, %2</translation>
    </message>
    <message>
        <source>Requires TLS 1.3</source>
        <translation>Erfordert TLS 1.3</translation>
    </message>
    <message>
        <source>User name: %1</source>
        <translation>Benutzername: %1</translation>
    </message>
</context>
<context>
    <name>relaydeck::ui::ProxyTab</name>
    <message>
        <source>&amp;Use credentials</source>
        <translation>&amp;Anmeldedaten verwenden</translation>
    </message>
    <message>
        <source>None — connect directly</source>
        <translation>Keiner – direkt verbinden</translation>
    </message>
    <message>
        <source>System proxy settings</source>
        <translation>Proxy-Einstellungen des Systems</translation>
    </message>
    <message>
        <source>SOCKS5</source>
        <translation>SOCKS5</translation>
    </message>
    <message>
        <source>HTTP (CONNECT)</source>
        <translation>HTTP (CONNECT)</translation>
    </message>
    <message>
        <source>proxy.example.com</source>
        <translation>proxy.example.com</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>nicht gesetzt</translation>
    </message>
    <message>
        <source>optional, e.g. CORP</source>
        <translation>optional, z. B. FIRMA</translation>
    </message>
    <message>
        <source>not stored</source>
        <translation>nicht gespeichert</translation>
    </message>
    <message>
        <source>Proxy &amp;type:</source>
        <translation>Proxy-&amp;Typ:</translation>
    </message>
    <message>
        <source>&amp;Address:</source>
        <translation>Adr&amp;esse:</translation>
    </message>
    <message>
        <source>P&amp;ort:</source>
        <translation>P&amp;ort:</translation>
    </message>
    <message>
        <source>&amp;Domain:</source>
        <translation>&amp;Domäne:</translation>
    </message>
    <message>
        <source>User na&amp;me:</source>
        <translation>Benutzer&amp;name:</translation>
    </message>
    <message>
        <source>Pass&amp;word:</source>
        <translation>Pass&amp;wort:</translation>
    </message>
    <message>
        <source>reading from the keychain…</source>
        <translation>wird aus dem Schlüsselbund gelesen …</translation>
    </message>
    <message>
        <source>Relaydeck connects to the SMTP server directly.</source>
        <translation>Relaydeck verbindet sich direkt mit dem SMTP-Server.</translation>
    </message>
    <message>
        <source>Uses the proxy configured for this computer, if any.</source>
        <translation>Verwendet den für diesen Rechner eingerichteten Proxy, falls vorhanden.</translation>
    </message>
    <message>
        <source>The proxy resolves the server's name and opens the connection; TLS still runs end to end.</source>
        <translation>Der Proxy löst den Servernamen auf und baut die Verbindung auf; TLS läuft trotzdem durchgehend von Ende zu Ende.</translation>
    </message>
    <message>
        <source>The proxy must allow CONNECT to the SMTP port; TLS still runs end to end.</source>
        <translation>Der Proxy muss CONNECT zum SMTP-Port erlauben; TLS läuft trotzdem durchgehend von Ende zu Ende.</translation>
    </message>
</context>
<context>
    <name>relaydeck::ui::TestAllRunner</name>
    <message>
        <source>Test all was cancelled.</source>
        <translation>„Alle testen“ wurde abgebrochen.</translation>
    </message>
</context>
<context>
    <name>relaydeck::ui::TestPanel</name>
    <message>
        <source>Test</source>
        <translation>Testen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Trust This Certificate…</source>
        <translation>Diesem Zertifikat vertrauen …</translation>
    </message>
    <message>
        <source>Copy Report</source>
        <translation>Bericht kopieren</translation>
    </message>
    <message>
        <source>Save Report…</source>
        <translation>Bericht speichern …</translation>
    </message>
    <message>
        <source>optional: recipient@example.com</source>
        <translation>optional: empfaenger@example.com</translation>
    </message>
    <message>
        <source>Leave empty to stop after authentication; with an address a short test message is sent.</source>
        <translation>Leer lassen, um nach der Authentifizierung aufzuhören; mit einer Adresse wird eine kurze Testnachricht gesendet.</translation>
    </message>
    <message>
        <source>&amp;Send a test message to:</source>
        <translation>Test&amp;nachricht senden an:</translation>
    </message>
    <message>
        <source>Test the connection as it stands in the editor (F5)</source>
        <translation>Die Verbindung so testen, wie sie im Editor steht (F5)</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>The SMTP dialogue appears here during a test. Passwords and AUTH data are shown as &lt;redacted&gt;.</source>
        <translation>Hier erscheint während eines Tests der SMTP-Dialog. Passwörter und AUTH-Daten werden als &lt;redacted&gt; angezeigt.</translation>
    </message>
    <message>
        <source>Ser&amp;ver</source>
        <translation>Ser&amp;ver</translation>
    </message>
    <message>
        <source>Cert&amp;ificates</source>
        <translation>Zert&amp;ifikate</translation>
    </message>
    <message>
        <source>Trans&amp;cript</source>
        <translation>Pro&amp;tokoll</translation>
    </message>
    <message>
        <source>Press Test to check the connection: each step appears here as it happens.</source>
        <translation>Drücken Sie „Testen“, um die Verbindung zu prüfen: Jeder Schritt erscheint hier, sobald er geschieht.</translation>
    </message>
    <message>
        <source>Testing %1:%2…</source>
        <translation>%1:%2 wird getestet …</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>(%1 ms)</source>
        <translation>(%1 ms)</translation>
    </message>
    <message>
        <source>The server said: %1</source>
        <translation>Der Server antwortete: %1</translation>
    </message>
    <message>
        <source>What to do: %1</source>
        <translation>Was zu tun ist: %1</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <source>Proxy</source>
        <translation>Proxy</translation>
    </message>
    <message>
        <source>Greeting</source>
        <translation>Begrüßung</translation>
    </message>
    <message>
        <source>Capabilities</source>
        <translation>Fähigkeiten</translation>
    </message>
    <message numerus="yes">
        <source>%n extension(s)</source>
        <translation>
            <numerusform>%n Erweiterung</numerusform>
            <numerusform>%n Erweiterungen</numerusform>
        </translation>
    </message>
    <message>
        <source>Authentication mechanisms</source>
        <translation>Authentifizierungsverfahren</translation>
    </message>
    <message>
        <source>Maximum message size</source>
        <translation>Maximale Nachrichtengröße</translation>
    </message>
    <message>
        <source>Authentication</source>
        <translation>Authentifizierung</translation>
    </message>
    <message>
        <source>accepted</source>
        <translation>angenommen</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>abgelehnt</translation>
    </message>
    <message>
        <source>TLS protocol</source>
        <translation>TLS-Protokoll</translation>
    </message>
    <message>
        <source>Cipher</source>
        <translation>Verschlüsselungsverfahren</translation>
    </message>
    <message>
        <source>Certificate verified</source>
        <translation>Zertifikat geprüft</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <source>no</source>
        <translation>nein</translation>
    </message>
    <message>
        <source>Verification error</source>
        <translation>Prüffehler</translation>
    </message>
    <message>
        <source>Server certificate</source>
        <translation>Server-Zertifikat</translation>
    </message>
    <message>
        <source>Issuer %1</source>
        <translation>Aussteller %1</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Inhaber</translation>
    </message>
    <message>
        <source>Issuer</source>
        <translation>Aussteller</translation>
    </message>
    <message>
        <source>Valid from</source>
        <translation>Gültig ab</translation>
    </message>
    <message>
        <source>Valid until</source>
        <translation>Gültig bis</translation>
    </message>
    <message>
        <source>Names</source>
        <translation>Namen</translation>
    </message>
    <message>
        <source>SHA-256</source>
        <translation>SHA-256</translation>
    </message>
    <message>
        <source>Relaydeck will accept this certificate for &quot;%1&quot; from now on, and only this certificate, although it could not be verified:

%2

Subject: %3
Issuer: %4
Valid until: %5
SHA-256: %6

Compare the fingerprint with the one the server's administrator gives you before you trust it.</source>
        <translation>Relaydeck akzeptiert für „%1“ von nun an dieses Zertifikat – und nur dieses –, obwohl es nicht geprüft werden konnte:

%2

Inhaber: %3
Aussteller: %4
Gültig bis: %5
SHA-256: %6

Vergleichen Sie den Fingerabdruck mit dem, den Ihnen der Administrator des Servers nennt, bevor Sie ihm vertrauen.</translation>
    </message>
    <message>
        <source>Trust This Certificate?</source>
        <translation>Diesem Zertifikat vertrauen?</translation>
    </message>
    <message>
        <source>&amp;Trust and Test Again</source>
        <translation>&amp;Vertrauen und erneut testen</translation>
    </message>
    <message>
        <source>Text files (*.txt)</source>
        <translation>Textdateien (*.txt)</translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation>JSON-Dateien (*.json)</translation>
    </message>
    <message>
        <source>Save Test Report</source>
        <translation>Testbericht speichern</translation>
    </message>
    <message>
        <source>Report Not Saved</source>
        <translation>Bericht nicht gespeichert</translation>
    </message>
    <message>
        <source>The report could not be saved to %1: %2</source>
        <translation>Der Bericht konnte nicht nach %1 gespeichert werden: %2</translation>
    </message>
</context>
</TS>
