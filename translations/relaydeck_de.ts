<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
<context>
    <name>AutoconfigParser</name>
    <message>
        <source>not an autoconfig file (no &lt;clientConfig&gt;)</source>
        <translation>keine Autoconfig-Datei (kein &lt;clientConfig&gt;)</translation>
    </message>
    <message>
        <source>malformed autoconfig file: %1</source>
        <translation>fehlerhafte Autoconfig-Datei: %1</translation>
    </message>
</context>
<context>
    <name>BrowserSignIn</name>
    <message>
        <source>The authorization URL '%1' is not usable: it must be https (http only on this machine).</source>
        <translation>Die Autorisierungs-URL '%1' ist nicht verwendbar: Sie muss https sein (http nur auf diesem Rechner).</translation>
    </message>
    <message>
        <source>Cannot listen for the sign-in on 127.0.0.1: %1</source>
        <translation>Auf 127.0.0.1 kann nicht auf die Anmeldung gewartet werden: %1</translation>
    </message>
    <message numerus="yes">
        <source>No sign-in arrived within %n minute(s).</source>
        <translation>
            <numerusform>Innerhalb von %n Minute kam keine Anmeldung an.</numerusform>
            <numerusform>Innerhalb von %n Minuten kam keine Anmeldung an.</numerusform>
        </translation>
    </message>
    <message>
        <source>The answer to the sign-in did not carry the state Relaydeck sent: rejected, nothing was signed in.</source>
        <translation>Die Antwort auf die Anmeldung trug nicht den State, den Relaydeck gesendet hat: abgelehnt, es wurde nichts angemeldet.</translation>
    </message>
</context>
<context>
    <name>CliWording</name>
    <message>
        <source>--user needs a password: give it with --password-stdin or --password-env VAR</source>
        <translation>--user braucht ein Passwort: Geben Sie es mit --password-stdin oder --password-env VAR an</translation>
    </message>
    <message>
        <source>no password is stored for '%1'. Store one with 'set NAME --password-stdin', or give it for this run with --password-stdin or --password-env VAR.</source>
        <translation>Für „%1“ ist kein Passwort gespeichert. Speichern Sie eines mit „set NAME --password-stdin“, oder geben Sie es für diesen Lauf mit --password-stdin oder --password-env VAR an.</translation>
    </message>
    <message>
        <source>environment variable %1</source>
        <translation>Umgebungsvariable %1</translation>
    </message>
    <message>
        <source>command %1</source>
        <translation>Befehl %1</translation>
    </message>
    <message>
        <source>command %1, DISABLED until enabled (%2)</source>
        <translation>Befehl %1, DEAKTIVIERT bis zur Aktivierung (%2)</translation>
    </message>
    <message>
        <source>keychain</source>
        <translation>Schlüsselbund</translation>
    </message>
    <message>
        <source>not probed</source>
        <translation>nicht geprüft</translation>
    </message>
    <message>
        <source>no answer within the time limit</source>
        <translation>keine Antwort innerhalb des Zeitlimits</translation>
    </message>
    <message>
        <source>no encryption: not usable</source>
        <translation>keine Verschlüsselung: nicht verwendbar</translation>
    </message>
    <message>
        <source>the certificate is not valid for %1</source>
        <translation>das Zertifikat gilt nicht für %1</translation>
    </message>
    <message>
        <source>the certificate is not trusted</source>
        <translation>dem Zertifikat wird nicht vertraut</translation>
    </message>
    <message>
        <source>verified %1, but no AUTH mechanism relaydeck-cli can use (%2)</source>
        <translation>%1 geprüft, aber kein AUTH-Verfahren, das relaydeck-cli verwenden kann (%2)</translation>
    </message>
    <message>
        <source>verified %1, no authentication offered</source>
        <translation>%1 geprüft, keine Authentifizierung angeboten</translation>
    </message>
    <message>
        <source>verified %1, AUTH %2</source>
        <translation>%1 geprüft, AUTH %2</translation>
    </message>
    <message>
        <source>%1 is in another domain: confirm before using it</source>
        <translation>%1 liegt in einer anderen Domain: vor der Verwendung bestätigen</translation>
    </message>
</context>
<context>
    <name>ConnectionTransfer</name>
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
    <message>
        <source>sign in on the Authentication tab</source>
        <translation>auf der Registerkarte „Authentifizierung“ anmelden</translation>
    </message>
    <message>
        <source>ready: no password needed</source>
        <translation>bereit: kein Passwort nötig</translation>
    </message>
    <message>
        <source>ready: its password is in the keychain</source>
        <translation>bereit: das Passwort liegt im Schlüsselbund</translation>
    </message>
    <message>
        <source>a password to enter (the keychain could not be asked)</source>
        <translation>ein Passwort ist einzugeben (der Schlüsselbund war nicht erreichbar)</translation>
    </message>
    <message>
        <source>a password to enter</source>
        <translation>ein Passwort ist einzugeben</translation>
    </message>
    <message>
        <source>the name exists</source>
        <translation>der Name existiert bereits</translation>
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
        <source>Passwords are not part of an import: enter them on the Authentication tab for %1.</source>
        <translation>Passwörter werden nicht importiert: Geben Sie sie auf der Registerkarte „Authentifizierung“ ein für %1.</translation>
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
</context>
<context>
    <name>DesktopWording</name>
    <message>
        <source>Main tab</source>
        <translation>Registerkarte „Allgemein“</translation>
    </message>
    <message>
        <source>Authentication tab</source>
        <translation>Registerkarte „Authentifizierung“</translation>
    </message>
    <message>
        <source>Encryption tab</source>
        <translation>Registerkarte „Verschlüsselung“</translation>
    </message>
    <message>
        <source>Proxy tab</source>
        <translation>Registerkarte „Proxy“</translation>
    </message>
    <message>
        <source>No authentication</source>
        <translation>Keine Authentifizierung</translation>
    </message>
    <message>
        <source>Trust This Certificate…</source>
        <translation>Diesem Zertifikat vertrauen …</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>Security</source>
        <translation>Sicherheit</translation>
    </message>
    <message>
        <source>HELO/EHLO name</source>
        <translation>HELO/EHLO-Name</translation>
    </message>
    <message>
        <source>Timeout</source>
        <translation>Zeitlimit</translation>
    </message>
    <message>
        <source>Sender address</source>
        <translation>Absenderadresse</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Benutzername</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>Mechanism</source>
        <translation>Verfahren</translation>
    </message>
    <message>
        <source>Allow authentication over an unencrypted connection</source>
        <translation>Authentifizierung über eine unverschlüsselte Verbindung erlauben</translation>
    </message>
    <message>
        <source>Minimum TLS version</source>
        <translation>Niedrigste TLS-Version</translation>
    </message>
    <message>
        <source>CA file</source>
        <translation>CA-Datei</translation>
    </message>
    <message>
        <source>Pinned (SHA-256)</source>
        <translation>Fingerabdruck (SHA-256)</translation>
    </message>
    <message>
        <source>Sign In…</source>
        <translation>Anmelden …</translation>
    </message>
    <message>
        <source>Client ID</source>
        <translation>Client-ID</translation>
    </message>
    <message>
        <source>Device authorization URL</source>
        <translation>Geräteautorisierungs-URL</translation>
    </message>
    <message>
        <source>the Transcript tab</source>
        <translation>Registerkarte „Protokoll“</translation>
    </message>
    <message>
        <source>Command: Enabled</source>
        <translation>Befehl: Aktiviert</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1 → %2</source>
        <translation>%1 → %2</translation>
    </message>
    <message>
        <source>%1 and %2</source>
        <translation>%1 und %2</translation>
    </message>
    <message>
        <source>No access token is stored for this connection: enter it on the Authentication tab.</source>
        <translation>Für diese Verbindung ist kein Zugriffstoken gespeichert: Geben Sie es auf der Registerkarte „Authentifizierung“ ein.</translation>
    </message>
    <message>
        <source>No password is stored for this connection: enter it on the Authentication tab, or clear the user name to test without authentication.</source>
        <translation>Für diese Verbindung ist kein Passwort gespeichert: Geben Sie es auf der Registerkarte „Authentifizierung“ ein, oder leeren Sie den Benutzernamen, um ohne Authentifizierung zu testen.</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Keine</translation>
    </message>
    <message>
        <source>Implicit TLS</source>
        <translation>Implizites TLS</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>Automatisch</translation>
    </message>
    <message>
        <source>Autoconfig file</source>
        <translation>Autoconfig-Datei</translation>
    </message>
    <message>
        <source>DNS SRV record</source>
        <translation>DNS-SRV-Eintrag</translation>
    </message>
    <message>
        <source>Provider preset</source>
        <translation>Anbietervorlage</translation>
    </message>
    <message>
        <source>Mail server (MX)</source>
        <translation>Mailserver (MX)</translation>
    </message>
    <message>
        <source>Probed</source>
        <translation>Ausprobiert</translation>
    </message>
    <message>
        <source>Not probed yet</source>
        <translation>Noch nicht geprüft</translation>
    </message>
    <message>
        <source>No answer in time</source>
        <translation>Keine Antwort in der Zeit</translation>
    </message>
    <message>
        <source>Unencrypted: not usable</source>
        <translation>Unverschlüsselt: nicht verwendbar</translation>
    </message>
    <message>
        <source>Certificate not valid for %1</source>
        <translation>Zertifikat nicht gültig für %1</translation>
    </message>
    <message>
        <source>Certificate not trusted</source>
        <translation>Zertifikat nicht vertrauenswürdig</translation>
    </message>
    <message>
        <source>%1 verified; no sign-in method Relaydeck supports (%2)</source>
        <translation>%1 geprüft; kein Anmeldeverfahren, das Relaydeck unterstützt (%2)</translation>
    </message>
    <message>
        <source>%1 verified; no sign-in needed</source>
        <translation>%1 geprüft; keine Anmeldung nötig</translation>
    </message>
    <message>
        <source>%1 verified; sign-in: %2</source>
        <translation>%1 geprüft; Anmeldung: %2</translation>
    </message>
    <message>
        <source>%1 is in another domain: confirm it first</source>
        <translation>%1 liegt in einer anderen Domain: zuerst bestätigen</translation>
    </message>
</context>
<context>
    <name>DeviceSignIn</name>
    <message>
        <source>The code expired before the sign-in was completed: start again.</source>
        <translation>Der Code ist abgelaufen, bevor die Anmeldung abgeschlossen war: Beginnen Sie von vorn.</translation>
    </message>
</context>
<context>
    <name>Diagnosis</name>
    <message>
        <source>Port 465 expects implicit TLS: the server waits for a TLS handshake before it says anything. Switch security to TLS (%1).</source>
        <translation>Port 465 erwartet implizites TLS: Der Server wartet auf einen TLS-Handshake, bevor er etwas sagt. Stellen Sie die Sicherheit auf TLS um (%1).</translation>
    </message>
    <message>
        <source>Port %1 usually expects STARTTLS, not implicit TLS: switch security to STARTTLS (%2), or use port 465 with TLS.</source>
        <translation>Port %1 erwartet meist STARTTLS, nicht implizites TLS: Stellen Sie die Sicherheit auf STARTTLS um (%2) oder verwenden Sie Port 465 mit TLS.</translation>
    </message>
    <message>
        <source>Many ISPs and cloud providers (AWS, Azure, Google Cloud) block outbound port 25: use the submission port 587 (STARTTLS) or 465 (TLS) instead.</source>
        <translation>Viele Internetanbieter und Cloud-Anbieter (AWS, Azure, Google Cloud) sperren ausgehenden Port 25: Verwenden Sie stattdessen den Submission-Port 587 (STARTTLS) oder 465 (TLS).</translation>
    </message>
    <message>
        <source>while resolving the host name</source>
        <translation>beim Auflösen des Hostnamens</translation>
    </message>
    <message>
        <source>while connecting</source>
        <translation>beim Verbindungsaufbau</translation>
    </message>
    <message>
        <source>The server may refuse this client's IP address or have too many connections.</source>
        <translation>Der Server lehnt möglicherweise die IP-Adresse dieses Clients ab oder hat zu viele Verbindungen.</translation>
    </message>
    <message>
        <source>while waiting for the greeting</source>
        <translation>beim Warten auf die Begrüßung</translation>
    </message>
    <message>
        <source>The server may refuse this client's IP address (check blocklists such as Spamhaus) or have too many connections.</source>
        <translation>Der Server lehnt möglicherweise die IP-Adresse dieses Clients ab (prüfen Sie Sperrlisten wie Spamhaus) oder hat zu viele Verbindungen.</translation>
    </message>
    <message>
        <source>after EHLO</source>
        <translation>nach EHLO</translation>
    </message>
    <message>
        <source>Some servers refuse a HELO name that is not a fully qualified domain name: set one (%1).</source>
        <translation>Manche Server lehnen einen HELO-Namen ab, der kein vollständiger Domainname ist: Setzen Sie einen (%1).</translation>
    </message>
    <message>
        <source>during STARTTLS</source>
        <translation>während STARTTLS</translation>
    </message>
    <message>
        <source>The server's TLS setup may be broken; try implicit TLS on port 465 (%1).</source>
        <translation>Die TLS-Einrichtung des Servers ist womöglich fehlerhaft; versuchen Sie implizites TLS auf Port 465 (%1).</translation>
    </message>
    <message>
        <source>during the TLS handshake</source>
        <translation>während des TLS-Handshakes</translation>
    </message>
    <message>
        <source>The server and this client may share no TLS version or cipher (TLS 1.2 is the lowest Relaydeck accepts), or a firewall blocks TLS.</source>
        <translation>Server und Client haben möglicherweise keine gemeinsame TLS-Version oder Cipher-Suite (TLS 1.2 ist das Mindeste, was Relaydeck akzeptiert), oder eine Firewall blockiert TLS.</translation>
    </message>
    <message>
        <source>during authentication</source>
        <translation>während der Authentifizierung</translation>
    </message>
    <message>
        <source>Many servers delay or drop the connection after failed or too many logins: check the credentials and wait before retrying.</source>
        <translation>Viele Server verzögern oder trennen die Verbindung nach fehlgeschlagenen oder zu vielen Anmeldungen: Prüfen Sie die Anmeldedaten und warten Sie vor einem neuen Versuch.</translation>
    </message>
    <message>
        <source>while sending the test message</source>
        <translation>beim Senden der Testnachricht</translation>
    </message>
    <message>
        <source>Content or size filters may have stopped the message; the server's log says why.</source>
        <translation>Inhalts- oder Größenfilter haben die Nachricht womöglich gestoppt; das Protokoll des Servers nennt den Grund.</translation>
    </message>
    <message>
        <source>after QUIT</source>
        <translation>nach QUIT</translation>
    </message>
    <message>
        <source>Everything before QUIT worked; this is harmless.</source>
        <translation>Alles vor QUIT hat funktioniert; das ist harmlos.</translation>
    </message>
    <message>
        <source>at an unknown stage</source>
        <translation>in einem unbekannten Schritt</translation>
    </message>
    <message>
        <source>at stage %1</source>
        <translation>im Schritt %1</translation>
    </message>
    <message>
        <source>%1 (stage %2)</source>
        <translation>%1 (Schritt %2)</translation>
    </message>
    <message>
        <source>Google does not accept the account password for SMTP: create an app password (Google Account → Security → 2-Step Verification → App passwords) and use it as the password, or use OAuth2 (%1, with an access token as the password). The username is the full Gmail or Workspace address.</source>
        <translation>Google akzeptiert das Kontopasswort nicht für SMTP: Erstellen Sie ein App-Passwort (Google-Konto → Sicherheit → Bestätigung in zwei Schritten → App-Passwörter) und verwenden Sie es als Passwort, oder verwenden Sie OAuth2 (%1, mit einem Zugriffstoken als Passwort). Der Benutzername ist die vollständige Gmail- oder Workspace-Adresse.</translation>
    </message>
    <message>
        <source>Gmail only sends as the account's own address or a verified &quot;Send mail as&quot; alias.</source>
        <translation>Gmail sendet nur mit der eigenen Adresse des Kontos oder einem bestätigten „Senden als“-Alias.</translation>
    </message>
    <message>
        <source>Microsoft 365 / Outlook: the username must be the full mailbox address. If the reply says 5.7.139, SMTP AUTH is disabled for the tenant or the mailbox: enable &quot;Authenticated SMTP&quot; for the mailbox in the Microsoft 365 admin center (Security Defaults also block it), or use OAuth2 (%1). Accounts with multi-factor sign-in need an app password.</source>
        <translation>Microsoft 365 / Outlook: Der Benutzername muss die vollständige Postfachadresse sein. Lautet die Antwort 5.7.139, ist SMTP AUTH für den Mandanten oder das Postfach deaktiviert: Aktivieren Sie „Authentifiziertes SMTP“ für das Postfach im Microsoft 365 Admin Center (auch die Sicherheitsstandards sperren es), oder verwenden Sie OAuth2 (%1). Konten mit mehrstufiger Anmeldung brauchen ein App-Passwort.</translation>
    </message>
    <message>
        <source>Microsoft 365 sends only as the authenticated mailbox unless the account has &quot;Send As&quot; permission for this address.</source>
        <translation>Microsoft 365 sendet nur als das angemeldete Postfach, sofern das Konto keine „Senden als“-Berechtigung für diese Adresse hat.</translation>
    </message>
    <message>
        <source>Yahoo and AOL require an app password for SMTP (Account security → Generate app password); the normal password is refused.</source>
        <translation>Yahoo und AOL verlangen für SMTP ein App-Passwort (Kontosicherheit → App-Passwort generieren); das normale Passwort wird abgelehnt.</translation>
    </message>
    <message>
        <source>iCloud Mail requires an app-specific password (appleid.apple.com → Sign-In and Security → App-Specific Passwords); the username is the iCloud address.</source>
        <translation>iCloud Mail verlangt ein app-spezifisches Passwort (appleid.apple.com → Anmeldung und Sicherheit → App-spezifische Passwörter); der Benutzername ist die iCloud-Adresse.</translation>
    </message>
    <message>
        <source>Zoho requires an app-specific password when two-factor authentication is on, and the server of your data centre (smtp.zoho.eu, smtp.zoho.com, ...).</source>
        <translation>Zoho verlangt bei aktivierter Zwei-Faktor-Authentifizierung ein anwendungsspezifisches Passwort und den Server Ihres Rechenzentrums (smtp.zoho.eu, smtp.zoho.com, ...).</translation>
    </message>
    <message>
        <source>Fastmail requires an app password with SMTP access (Settings → Privacy &amp; Security → App passwords).</source>
        <translation>Fastmail verlangt ein App-Passwort mit SMTP-Zugriff (Einstellungen → Privatsphäre &amp; Sicherheit → App-Passwörter).</translation>
    </message>
    <message>
        <source>Amazon SES needs SMTP credentials created in the SES console (SMTP settings → Create SMTP credentials), not IAM access keys, and they only work in the region they were created in (this endpoint: %1).</source>
        <translation>Amazon SES braucht SMTP-Anmeldedaten, die in der SES-Konsole erstellt wurden (SMTP-Einstellungen → SMTP-Anmeldedaten erstellen), keine IAM-Zugriffsschlüssel, und sie gelten nur in der Region, in der sie erstellt wurden (dieser Endpunkt: %1).</translation>
    </message>
    <message>
        <source>Amazon SES accepts only verified identities (address or domain) as sender, in this region (%1); while the account is in the SES sandbox, request production access or verify the address.</source>
        <translation>Amazon SES akzeptiert als Absender nur bestätigte Identitäten (Adresse oder Domain) in dieser Region (%1); solange das Konto in der SES-Sandbox ist, beantragen Sie Produktionszugriff oder bestätigen Sie die Adresse.</translation>
    </message>
    <message>
        <source>While the Amazon SES account is in the sandbox, recipients must be verified identities too (region %1); request production access to send to anyone.</source>
        <translation>Solange das Amazon-SES-Konto in der Sandbox ist, müssen auch die Empfänger bestätigte Identitäten sein (Region %1); beantragen Sie Produktionszugriff, um an beliebige Empfänger zu senden.</translation>
    </message>
    <message>
        <source>SendGrid's SMTP username is literally &quot;apikey&quot; and the password is an API key with Mail Send permission.</source>
        <translation>Der SMTP-Benutzername bei SendGrid lautet wörtlich „apikey“, das Passwort ist ein API-Schlüssel mit der Berechtigung „Mail Send“.</translation>
    </message>
    <message>
        <source>SendGrid accepts only verified senders (Sender Authentication).</source>
        <translation>SendGrid akzeptiert nur bestätigte Absender (Sender Authentication).</translation>
    </message>
    <message>
        <source>The server requires STARTTLS before AUTH or MAIL (&quot;Must issue a STARTTLS command first&quot;): switch security to STARTTLS (%1).</source>
        <translation>Der Server verlangt STARTTLS vor AUTH oder MAIL („Must issue a STARTTLS command first“): Stellen Sie die Sicherheit auf STARTTLS um (%1).</translation>
    </message>
    <message>
        <source>Microsoft's 5.7.139 means SMTP AUTH is disabled for this tenant or mailbox: an admin must enable &quot;Authenticated SMTP&quot; for the mailbox in the Microsoft 365 admin center (Security Defaults also disable it), or use OAuth2: choose the OAuth provider and client id, then sign in (%1).</source>
        <translation>Microsofts 5.7.139 bedeutet, dass SMTP AUTH für diesen Mandanten oder dieses Postfach deaktiviert ist: Ein Admin muss „Authentifiziertes SMTP“ für das Postfach im Microsoft 365 Admin Center aktivieren (auch die Sicherheitsstandards deaktivieren es), oder verwenden Sie OAuth2: Wählen Sie den OAuth-Anbieter und die Client-ID, dann melden Sie sich an (%1).</translation>
    </message>
    <message>
        <source>The server has turned basic authentication (passwords) off for client submission: use OAuth2 instead: choose the OAuth provider and client id, then sign in (%1).</source>
        <translation>Der Server hat die Standardauthentifizierung (Passwörter) für die Client-Übermittlung abgeschaltet: Verwenden Sie stattdessen OAuth2: Wählen Sie den OAuth-Anbieter und die Client-ID, dann melden Sie sich an (%1).</translation>
    </message>
    <message>
        <source>The server wants an app password (application-specific password) instead of the account password: create one in the account's security settings, or use OAuth2: choose the OAuth provider and client id, then sign in (%1).</source>
        <translation>Der Server verlangt ein App-Passwort (anwendungsspezifisches Passwort) statt des Kontopassworts: Erstellen Sie eines in den Sicherheitseinstellungen des Kontos, oder verwenden Sie OAuth2: Wählen Sie den OAuth-Anbieter und die Client-ID, dann melden Sie sich an (%1).</translation>
    </message>
    <message>
        <source>The provider blocked this sign-in until it is confirmed in a web browser: log in to the web mail once, approve the sign-in, or use an app password or OAuth2.</source>
        <translation>Der Anbieter hat diese Anmeldung gesperrt, bis sie im Webbrowser bestätigt wird: Melden Sie sich einmal im Webmailer an und bestätigen Sie die Anmeldung, oder verwenden Sie ein App-Passwort oder OAuth2.</translation>
    </message>
    <message>
        <source>The server failed temporarily (4xx): often too many login attempts or a backend outage. Wait a few minutes and try again.</source>
        <translation>Der Server hatte einen vorübergehenden Fehler (4xx): oft zu viele Anmeldeversuche oder ein Ausfall im Hintergrund. Warten Sie ein paar Minuten und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>The server accepts mail only from authenticated clients: set a username and password (%1).</source>
        <translation>Der Server nimmt Mail nur von authentifizierten Clients an: Setzen Sie Benutzername und Passwort (%1).</translation>
    </message>
    <message>
        <source>The server wants the sender as a complete address in a domain that exists (user@example.com), not a local name: set the sender (%1).</source>
        <translation>Der Server verlangt als Absender eine vollständige Adresse in einer existierenden Domain (user@example.com), keinen lokalen Namen: Setzen Sie den Absender (%1).</translation>
    </message>
    <message>
        <source>The server cannot find the sender's domain in the DNS: use a sender in a domain that exists (%1).</source>
        <translation>Der Server findet die Domain des Absenders nicht im DNS: Verwenden Sie einen Absender in einer existierenden Domain (%1).</translation>
    </message>
    <message>
        <source>The server reports an error in its own configuration (4.3.5), not in this profile: only its admin can fix it (the server's log names the broken setting).</source>
        <translation>Der Server meldet einen Fehler in seiner eigenen Konfiguration (4.3.5), nicht in diesem Profil: Nur sein Administrator kann ihn beheben (das Protokoll des Servers nennt die fehlerhafte Einstellung).</translation>
    </message>
    <message>
        <source>The refusal is temporary (4xx): the server may accept the same message later.</source>
        <translation>Die Ablehnung ist vorübergehend (4xx): Der Server nimmt dieselbe Nachricht später möglicherweise an.</translation>
    </message>
    <message>
        <source>The account may not send as this address: use the mailbox's own address as sender (%1), or grant it &quot;Send As&quot; permission.</source>
        <translation>Das Konto darf nicht mit dieser Adresse senden: Verwenden Sie die eigene Adresse des Postfachs als Absender (%1) oder erteilen Sie ihm die „Senden als“-Berechtigung.</translation>
    </message>
    <message>
        <source>The address is not a verified identity with this provider: verify it (Amazon SES, SendGrid and others send only from verified addresses, and in the SES sandbox only to them).</source>
        <translation>Die Adresse ist bei diesem Anbieter keine bestätigte Identität: Bestätigen Sie sie (Amazon SES, SendGrid und andere senden nur von bestätigten Adressen, in der SES-Sandbox auch nur an solche).</translation>
    </message>
    <message>
        <source>The server refuses to relay for this client (&quot;relay denied&quot;): relaying to other domains needs authentication — set a username (%1) — or the admin must allow this client's IP address.</source>
        <translation>Der Server lehnt das Weiterleiten für diesen Client ab („relay denied“): Weiterleiten an andere Domains erfordert Authentifizierung – setzen Sie einen Benutzernamen (%1) –, oder der Administrator muss die IP-Adresse dieses Clients zulassen.</translation>
    </message>
    <message>
        <source>The recipient's mailbox does not exist: check the address for typos.</source>
        <translation>Das Postfach des Empfängers existiert nicht: Prüfen Sie die Adresse auf Tippfehler.</translation>
    </message>
    <message>
        <source>The server says the message exceeds its size limit.</source>
        <translation>Der Server meldet, dass die Nachricht seine Größengrenze überschreitet.</translation>
    </message>
    <message>
        <source>an unknown date</source>
        <translation>ein unbekanntes Datum</translation>
    </message>
    <message>
        <source>If you have confirmed by other means (e.g. with the server's admin) that this is the right certificate, pin it: SHA-256 %1 (%2).</source>
        <translation>Wenn Sie auf anderem Weg (z. B. beim Administrator des Servers) bestätigt haben, dass dies das richtige Zertifikat ist, hinterlegen Sie es: SHA-256 %1 (%2).</translation>
    </message>
    <message>
        <source>The proxy %1 could not resolve &quot;%2&quot;: the proxy, not this machine, looks the name up. Check the name for typos and that the proxy's DNS knows it (an internal name may need the internal address instead).</source>
        <translation>Der Proxy %1 konnte „%2“ nicht auflösen: Der Proxy, nicht dieser Rechner, schlägt den Namen nach. Prüfen Sie den Namen auf Tippfehler und ob das DNS des Proxys ihn kennt (für einen internen Namen ist womöglich die interne Adresse nötig).</translation>
    </message>
    <message>
        <source>The name &quot;%1&quot; could not be resolved: check it for typos (e.g. smtp. versus mail.), that the domain exists, and that this machine's DNS works.</source>
        <translation>Der Name „%1“ konnte nicht aufgelöst werden: Prüfen Sie ihn auf Tippfehler (z. B. smtp. statt mail.), ob die Domain existiert und ob das DNS dieses Rechners funktioniert.</translation>
    </message>
    <message>
        <source>It has no domain part: give the full name (smtp.example.com).</source>
        <translation>Er hat keinen Domainteil: Geben Sie den vollständigen Namen an (smtp.example.com).</translation>
    </message>
    <message>
        <source>%1 refused the connection on port %2: the port is wrong, the mail service is not running, or a firewall rejects it. SMTP submission uses 587 (STARTTLS) or 465 (implicit TLS); 25 is for server-to-server relay.</source>
        <translation>%1 hat die Verbindung auf Port %2 abgelehnt: Der Port ist falsch, der Maildienst läuft nicht, oder eine Firewall weist sie ab. SMTP-Submission verwendet 587 (STARTTLS) oder 465 (implizites TLS); 25 ist für die Weiterleitung zwischen Servern.</translation>
    </message>
    <message>
        <source>No answer from %1 on port %2 within %3 s: a firewall (local, network or the server's) is probably dropping the connection.</source>
        <translation>Keine Antwort von %1 auf Port %2 innerhalb von %3 s: Vermutlich verwirft eine Firewall (lokal, im Netz oder beim Server) die Verbindung.</translation>
    </message>
    <message>
        <source>Check that outbound port %1 is open and the host name is right.</source>
        <translation>Prüfen Sie, ob der ausgehende Port %1 offen und der Hostname richtig ist.</translation>
    </message>
    <message>
        <source>This machine has no route to %1%2: check the network connection, VPN or proxy settings; if only IPv6 or IPv4 is broken, the address family matters.</source>
        <translation>Dieser Rechner hat keine Route zu %1%2: Prüfen Sie die Netzwerkverbindung, VPN- oder Proxy-Einstellungen; ist nur IPv6 oder IPv4 gestört, spielt die Adressfamilie eine Rolle.</translation>
    </message>
    <message>
        <source>the proxy</source>
        <translation>den Proxy</translation>
    </message>
    <message>
        <source>the proxy %1</source>
        <translation>den Proxy %1</translation>
    </message>
    <message>
        <source>The connection through %1 failed: check its type, host and port, that it runs, and that it allows connections to %2 port %3 (HTTP proxies often allow CONNECT to port 443 only).</source>
        <translation>Die Verbindung über %1 ist fehlgeschlagen: Prüfen Sie Typ, Host und Port, ob er läuft und ob er Verbindungen zu %2 Port %3 erlaubt (HTTP-Proxys erlauben CONNECT oft nur zu Port 443).</translation>
    </message>
    <message>
        <source>The proxy refused the credentials for %1: check the proxy username (and domain) and the proxy password stored for this profile (%2).</source>
        <translation>Der Proxy hat die Anmeldedaten für %1 abgelehnt: Prüfen Sie den Proxy-Benutzernamen (und die Domäne) sowie das für dieses Profil gespeicherte Proxy-Passwort (%2).</translation>
    </message>
    <message>
        <source>Port %1 speaks implicit TLS: it waited for a TLS handshake instead of greeting, and a TLS handshake there succeeded. Switch security to TLS (%2).</source>
        <translation>Port %1 spricht implizites TLS: Er hat auf einen TLS-Handshake gewartet, statt zu begrüßen, und ein TLS-Handshake dort ist gelungen. Stellen Sie die Sicherheit auf TLS um (%2).</translation>
    </message>
    <message>
        <source>TLS worked, but the server sent no greeting within %1 s: it may be overloaded or delay clients on purpose (tarpitting). Raise the timeout (%2).</source>
        <translation>TLS hat funktioniert, aber der Server hat innerhalb von %1 s keine Begrüßung gesendet: Er ist womöglich überlastet oder bremst Clients absichtlich aus (Tarpitting). Erhöhen Sie das Zeitlimit (%2).</translation>
    </message>
    <message>
        <source>The server accepted the connection but sent no greeting within %1 s. If this port uses implicit TLS (usually 465), switch security to TLS (%2); otherwise the server may be overloaded or delay clients on purpose (tarpitting): raise the timeout (%3).</source>
        <translation>Der Server hat die Verbindung angenommen, aber innerhalb von %1 s keine Begrüßung gesendet. Verwendet dieser Port implizites TLS (meist 465), stellen Sie die Sicherheit auf TLS um (%2); andernfalls ist der Server womöglich überlastet oder bremst Clients absichtlich aus (Tarpitting): Erhöhen Sie das Zeitlimit (%3).</translation>
    </message>
    <message>
        <source>The server is not accepting connections right now (421: too many connections, maintenance, or rate limits for this IP address). Try again later.</source>
        <translation>Der Server nimmt gerade keine Verbindungen an (421: zu viele Verbindungen, Wartung oder Ratenbegrenzung für diese IP-Adresse). Versuchen Sie es später erneut.</translation>
    </message>
    <message>
        <source>The server refused this client before any command: it may block this machine's IP address (look it up on blocklists such as Spamhaus), accept only certain networks, or limit connections. Ask its admin, or use the provider's submission server on port 587 or 465.</source>
        <translation>Der Server hat diesen Client vor jedem Befehl abgewiesen: Er sperrt womöglich die IP-Adresse dieses Rechners (prüfen Sie Sperrlisten wie Spamhaus), akzeptiert nur bestimmte Netze oder begrenzt die Verbindungen. Fragen Sie den Administrator oder verwenden Sie den Submission-Server des Anbieters auf Port 587 oder 465.</translation>
    </message>
    <message>
        <source>The server sent something that is not valid SMTP %1. Check that %2 port %3 is an SMTP server (not HTTP, IMAP or POP3); a firewall or antivirus that inspects SMTP can also mangle the dialogue.</source>
        <translation>Der Server hat etwas gesendet, das kein gültiges SMTP ist %1. Prüfen Sie, ob %2 Port %3 ein SMTP-Server ist (nicht HTTP, IMAP oder POP3); auch eine Firewall oder ein Virenschutz, der SMTP untersucht, kann den Dialog verfälschen.</translation>
    </message>
    <message>
        <source>The server closed the connection %1.</source>
        <translation>Der Server hat die Verbindung %1 geschlossen.</translation>
    </message>
    <message>
        <source>It may have refused the client certificate %1: check that the server trusts its issuer and that it is the certificate meant for this server.</source>
        <translation>Er hat womöglich das Client-Zertifikat %1 abgelehnt: Prüfen Sie, ob der Server dessen Aussteller vertraut und ob es das für diesen Server vorgesehene Zertifikat ist.</translation>
    </message>
    <message>
        <source>No reply within %1 s %2: the server is slow or something in between drops the connection. Raise the timeout (%3) or try again later.</source>
        <translation>Keine Antwort innerhalb von %1 s %2: Der Server ist langsam, oder etwas dazwischen verwirft die Verbindung. Erhöhen Sie das Zeitlimit (%3) oder versuchen Sie es später erneut.</translation>
    </message>
    <message>
        <source>The TLS handshake failed. If this port speaks plain SMTP first (as 587 and 25 do), switch security to STARTTLS (%1).</source>
        <translation>Der TLS-Handshake ist fehlgeschlagen. Spricht dieser Port zuerst einfaches SMTP (wie 587 und 25), stellen Sie die Sicherheit auf STARTTLS um (%1).</translation>
    </message>
    <message>
        <source>The TLS handshake after STARTTLS failed: the server's TLS setup may be broken, or it offers no TLS version or cipher this client accepts.</source>
        <translation>Der TLS-Handshake nach STARTTLS ist fehlgeschlagen: Die TLS-Einrichtung des Servers ist womöglich fehlerhaft, oder er bietet keine TLS-Version oder Cipher-Suite an, die dieser Client akzeptiert.</translation>
    </message>
    <message>
        <source>The profile requires TLS 1.3; the server may only speak TLS 1.2: lower the minimum (%1).</source>
        <translation>Das Profil verlangt TLS 1.3; der Server spricht womöglich nur TLS 1.2: Senken Sie die Mindestversion (%1).</translation>
    </message>
    <message>
        <source>The server may speak only TLS 1.0 or 1.1 (it refused or dropped the handshake), which are obsolete and insecure. Have the server updated; if that cannot be done soon, allow them for this connection only (%1).</source>
        <translation>Der Server spricht möglicherweise nur TLS 1.0 oder 1.1 (er hat den Verbindungsaufbau abgelehnt oder abgebrochen), die veraltet und unsicher sind. Lassen Sie den Server aktualisieren; geht das nicht bald, erlauben Sie sie nur für diese Verbindung (%1).</translation>
    </message>
    <message>
        <source>Check that the server accepts the client certificate %1.</source>
        <translation>Prüfen Sie, ob der Server das Client-Zertifikat %1 akzeptiert.</translation>
    </message>
    <message>
        <source>This connection allows TLS %1 for a legacy server, but this system's TLS library cannot offer it (the reason is above). Test from a system whose TLS library still has TLS 1.0/1.1, or have the server updated and set the minimum back to TLS 1.2 (%2).</source>
        <translation>Diese Verbindung erlaubt TLS %1 für einen Altserver, aber die TLS-Bibliothek dieses Systems kann es nicht anbieten (der Grund steht oben). Testen Sie von einem System, dessen TLS-Bibliothek TLS 1.0/1.1 noch hat, oder lassen Sie den Server aktualisieren und setzen Sie das Minimum wieder auf TLS 1.2 (%2).</translation>
    </message>
    <message>
        <source>The server's certificate is self-signed (%1), so no authority vouches for it.</source>
        <translation>Das Zertifikat des Servers ist selbstsigniert (%1), daher bürgt keine Zertifizierungsstelle dafür.</translation>
    </message>
    <message>
        <source>The certificate's issuer (%1) is not a trusted authority on this machine.</source>
        <translation>Der Aussteller des Zertifikats (%1) ist auf diesem Rechner keine vertrauenswürdige Zertifizierungsstelle.</translation>
    </message>
    <message>
        <source>The certificate's issuer is not a trusted authority on this machine.</source>
        <translation>Der Aussteller des Zertifikats ist auf diesem Rechner keine vertrauenswürdige Zertifizierungsstelle.</translation>
    </message>
    <message>
        <source>If it comes from your organisation's own CA, give that CA's certificate as CA file (%1).</source>
        <translation>Stammt es von der eigenen Zertifizierungsstelle Ihrer Organisation, geben Sie deren Zertifikat als CA-Datei an (%1).</translation>
    </message>
    <message>
        <source>The certificate is not valid before %1: check this machine's clock, or the server uses a certificate issued for the future.</source>
        <translation>Das Zertifikat ist erst ab %1 gültig: Prüfen Sie die Uhr dieses Rechners, oder der Server verwendet ein für die Zukunft ausgestelltes Zertifikat.</translation>
    </message>
    <message>
        <source>The certificate expired on %1 (valid from %2): the server's admin must renew it. Check this machine's clock too.</source>
        <translation>Das Zertifikat ist am %1 abgelaufen (gültig ab %2): Der Administrator des Servers muss es erneuern. Prüfen Sie auch die Uhr dieses Rechners.</translation>
    </message>
    <message>
        <source>The certificate is outside its validity dates: the server's admin must renew it. Check this machine's clock too.</source>
        <translation>Das Zertifikat liegt außerhalb seines Gültigkeitszeitraums: Der Administrator des Servers muss es erneuern. Prüfen Sie auch die Uhr dieses Rechners.</translation>
    </message>
    <message>
        <source>The certificate is for %1, not for %2: connect with one of those names (%3).</source>
        <translation>Das Zertifikat gilt für %1, nicht für %2: Verbinden Sie sich mit einem dieser Namen (%3).</translation>
    </message>
    <message>
        <source>The certificate was not issued for %1: connect with the name it was issued for (%2).</source>
        <translation>Das Zertifikat wurde nicht für %1 ausgestellt: Verbinden Sie sich mit dem Namen, für den es ausgestellt wurde (%2).</translation>
    </message>
    <message>
        <source>The server presented a certificate with SHA-256 %1, which is not a pinned one.</source>
        <translation>Der Server hat ein Zertifikat mit SHA-256 %1 vorgelegt, das nicht hinterlegt ist.</translation>
    </message>
    <message>
        <source>The server's certificate is not a pinned one.</source>
        <translation>Das Zertifikat des Servers ist nicht hinterlegt.</translation>
    </message>
    <message>
        <source>Pinned: %1.</source>
        <translation>Erwarteter Fingerabdruck: %1.</translation>
    </message>
    <message>
        <source>The certificate changed (renewal, another server) or someone is intercepting the connection: confirm the new fingerprint with the server's admin before re-pinning it (%1).</source>
        <translation>Das Zertifikat hat sich geändert (Erneuerung, anderer Server), oder jemand fängt die Verbindung ab: Bestätigen Sie den neuen Fingerabdruck beim Administrator des Servers, bevor Sie ihn neu hinterlegen (%1).</translation>
    </message>
    <message>
        <source>Security auto goes on without STARTTLS only towards a loopback host or on port 25; towards %1 on port %2 it requires STARTTLS.</source>
        <translation>Die Sicherheit „auto“ macht nur gegenüber einem Loopback-Host oder auf Port 25 ohne STARTTLS weiter; gegenüber %1 auf Port %2 verlangt sie STARTTLS.</translation>
    </message>
    <message>
        <source>The server does not advertise STARTTLS here, and Relaydeck never falls back to an unencrypted session. If the server uses implicit TLS, use port 465 with security TLS (%1); a firewall that inspects SMTP can also strip STARTTLS. Use security none only on a network you trust.</source>
        <translation>Der Server bietet hier kein STARTTLS an, und Relaydeck fällt nie auf eine unverschlüsselte Sitzung zurück. Verwendet der Server implizites TLS, nutzen Sie Port 465 mit Sicherheit TLS (%1); auch eine Firewall, die SMTP untersucht, kann STARTTLS entfernen. Verwenden Sie „keine“ Sicherheit nur in einem Netz, dem Sie vertrauen.</translation>
    </message>
    <message>
        <source>The server refused STARTTLS instead of answering 220: its TLS is unavailable or misconfigured; ask its admin, or try implicit TLS on port 465 (%1).</source>
        <translation>Der Server hat STARTTLS abgelehnt, statt mit 220 zu antworten: Sein TLS ist nicht verfügbar oder falsch eingerichtet; fragen Sie den Administrator oder versuchen Sie implizites TLS auf Port 465 (%1).</translation>
    </message>
    <message>
        <source>The reply is temporary (4xx): try again later.</source>
        <translation>Die Antwort ist vorübergehend (4xx): Versuchen Sie es später erneut.</translation>
    </message>
    <message>
        <source>Data followed the server's 220 answer to STARTTLS before the TLS handshake: a man-in-the-middle is injecting commands into the session, or the server (or a middlebox) is broken. The test stopped without sending anything; do not send credentials over this network path, and report it to the network and server admins.</source>
        <translation>Auf die 220-Antwort des Servers zu STARTTLS folgten vor dem TLS-Handshake weitere Daten: Ein Angreifer in der Mitte schleust Befehle in die Sitzung ein, oder der Server (bzw. ein Gerät dazwischen) ist defekt. Der Test wurde beendet, ohne etwas zu senden; senden Sie über diesen Netzwerkweg keine Anmeldedaten und melden Sie es den Netzwerk- und Server-Administratoren.</translation>
    </message>
    <message>
        <source>The server offers neither AUTH nor STARTTLS on this port. If it is a relay that accepts mail by IP address, set authentication to none (%1); otherwise authenticated submission is on another port (usually 587 with STARTTLS or 465 with TLS).</source>
        <translation>Der Server bietet auf diesem Port weder AUTH noch STARTTLS an. Ist er ein Relay, das E-Mails anhand der IP-Adresse annimmt, stellen Sie die Authentifizierung auf keine (%1); sonst liegt die authentifizierte Einlieferung auf einem anderen Port (meist 587 mit STARTTLS oder 465 mit TLS).</translation>
    </message>
    <message>
        <source>The server offers no AUTH on this unencrypted session; many servers offer it only after STARTTLS: switch security to STARTTLS (%1).</source>
        <translation>Der Server bietet in dieser unverschlüsselten Sitzung kein AUTH an; viele Server bieten es erst nach STARTTLS an: Stellen Sie die Sicherheit auf STARTTLS um (%1).</translation>
    </message>
    <message>
        <source>The server offers no authentication at all. If it is a relay that accepts mail by IP address, set authentication to none (%1); otherwise authentication may be enabled on another port.</source>
        <translation>Der Server bietet überhaupt keine Authentifizierung an. Ist er ein Relay, das Mail anhand der IP-Adresse annimmt, stellen Sie die Authentifizierung auf „keine“ (%1); andernfalls ist Authentifizierung womöglich auf einem anderen Port aktiviert.</translation>
    </message>
    <message>
        <source>Port 25 is for server-to-server relay; authenticated submission is usually on 587 (STARTTLS) or 465 (TLS).</source>
        <translation>Port 25 dient der Weiterleitung zwischen Servern; authentifizierte Submission läuft meist über 587 (STARTTLS) oder 465 (TLS).</translation>
    </message>
    <message>
        <source>any mechanism Relaydeck supports</source>
        <translation>jedes von Relaydeck unterstützte Verfahren</translation>
    </message>
    <message>
        <source>On this unencrypted session the server does not offer %1, but it advertises STARTTLS, after which servers commonly offer more mechanisms: switch security to STARTTLS (%2).</source>
        <translation>In dieser unverschlüsselten Sitzung bietet der Server %1 nicht an, kündigt aber STARTTLS an, nach dem Server üblicherweise weitere Verfahren anbieten: Stellen Sie die Sicherheit auf STARTTLS um (%2).</translation>
    </message>
    <message>
        <source>The profile logs on with your Kerberos ticket, but the server does not offer GSSAPI (it offers %1): ask its admin to enable Kerberos, or log on with a password instead.</source>
        <translation>Das Profil meldet sich mit Ihrem Kerberos-Ticket an, aber der Server bietet kein GSSAPI an (er bietet %1): Bitten Sie seinen Administrator, Kerberos einzuschalten, oder melden Sie sich stattdessen mit einem Passwort an.</translation>
    </message>
    <message>
        <source>The profile asks for %1, but the server named no mechanism: set authentication to auto or none.</source>
        <translation>Das Profil verlangt %1, aber der Server hat kein Verfahren genannt: Stellen Sie die Authentifizierung auf „automatisch“ oder „keine“.</translation>
    </message>
    <message>
        <source>The server offers no other mechanism than %1: ask its admin to enable another one (e.g. PLAIN over TLS), or set authentication to none (%2) if it accepts mail without.</source>
        <translation>Der Server bietet kein anderes Verfahren als %1 an: Bitten Sie seinen Administrator, ein weiteres freizuschalten (z. B. PLAIN über TLS), oder stellen Sie die Authentifizierung auf „keine“ (%2), falls er E-Mails auch ohne annimmt.</translation>
    </message>
    <message>
        <source>Relaydeck does not use %1 with this server; it also offers %2: choose one of these (%3).</source>
        <translation>Relaydeck verwendet %1 mit diesem Server nicht; er bietet auch %2 an: Wählen Sie eines davon (%3).</translation>
    </message>
    <message>
        <source>The server offers only %1, none of which Relaydeck picks by itself: choose one explicitly (%2) if you have what it needs (an OAuth2 access token for XOAUTH2/OAUTHBEARER, a client certificate for EXTERNAL).</source>
        <translation>Der Server bietet nur %1 an, und davon wählt Relaydeck keines von selbst: Wählen Sie eines ausdrücklich (%2), wenn Sie das Nötige haben (ein OAuth2-Zugriffstoken für XOAUTH2/OAUTHBEARER, ein Client-Zertifikat für EXTERNAL).</translation>
    </message>
    <message>
        <source>The profile asks for %1, but the server offers only %2: choose one of these (%3) or auto.</source>
        <translation>Das Profil verlangt %1, aber der Server bietet nur %2 an: Wählen Sie eines davon (%3) oder „automatisch“.</translation>
    </message>
    <message>
        <source>The server accepted your proof but could not prove that it knows your password itself (its SCRAM signature was wrong or missing). Something may be impersonating the server: do not trust this connection until the server's admin explains it.</source>
        <translation>Der Server hat Ihren Nachweis angenommen, konnte aber selbst nicht beweisen, dass er Ihr Passwort kennt (seine SCRAM-Signatur war falsch oder fehlte). Womöglich gibt sich etwas als der Server aus: Vertrauen Sie dieser Verbindung nicht, bis der Administrator des Servers es erklärt.</translation>
    </message>
    <message>
        <source>The access token was refused: it may have expired (they last about an hour) or lack the SMTP scope (Google: https://mail.google.com/, Microsoft: https://outlook.office.com/SMTP.Send); the username must be the mailbox the token was issued for.</source>
        <translation>Das Zugriffstoken wurde abgelehnt: Es ist womöglich abgelaufen (sie gelten etwa eine Stunde) oder hat nicht den SMTP-Scope (Google: https://mail.google.com/, Microsoft: https://outlook.office.com/SMTP.Send); der Benutzername muss das Postfach sein, für das das Token ausgestellt wurde.</translation>
    </message>
    <message>
        <source>The server refused the username or password: check both; the username is often the full e-mail address (user@example.com), and providers with two-factor sign-in want an app password.</source>
        <translation>Der Server hat Benutzername oder Passwort abgelehnt: Prüfen Sie beides; der Benutzername ist oft die vollständige E-Mail-Adresse (user@example.com), und Anbieter mit Zwei-Faktor-Anmeldung verlangen ein App-Passwort.</translation>
    </message>
    <message>
        <source>The server does not offer STARTTLS, so security auto went on unencrypted, and it never sends credentials, sender or recipients unencrypted to another host (%1). Have the server offer STARTTLS, use implicit TLS on port 465 (%2), or, on a network you trust, choose security none and allow plaintext authentication (%3).</source>
        <translation>Der Server bietet kein STARTTLS an, daher hat die Sicherheit „auto“ unverschlüsselt weitergemacht, und sie sendet Zugangsdaten, Absender oder Empfänger nie unverschlüsselt an einen anderen Host (%1). Lassen Sie den Server STARTTLS anbieten, verwenden Sie implizites TLS auf Port 465 (%2) oder wählen Sie in einem vertrauenswürdigen Netz die Sicherheit „keine“ und erlauben Sie die Klartext-Authentifizierung (%3).</translation>
    </message>
    <message>
        <source>Relaydeck does not send credentials, sender or recipients over an unencrypted connection to %1. Use STARTTLS (%2) or implicit TLS (%3); on a network you trust, allow it explicitly (%4).</source>
        <translation>Relaydeck sendet keine Anmeldedaten, Absender oder Empfänger über eine unverschlüsselte Verbindung zu %1. Verwenden Sie STARTTLS (%2) oder implizites TLS (%3); in einem Netz, dem Sie vertrauen, erlauben Sie es ausdrücklich (%4).</translation>
    </message>
    <message>
        <source>The server refused the sender %1: use an address this account may send as (its own or a verified alias); a relay may also accept only its own domains or authenticated clients.</source>
        <translation>Der Server hat den Absender %1 abgelehnt: Verwenden Sie eine Adresse, mit der dieses Konto senden darf (die eigene oder ein bestätigter Alias); ein Relay nimmt womöglich auch nur eigene Domains oder authentifizierte Clients an.</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>(leer)</translation>
    </message>
    <message>
        <source>The server refused the recipient %1: a server usually relays to other domains only for authenticated clients, so set a username (%2); also check the address for typos.</source>
        <translation>Der Server hat den Empfänger %1 abgelehnt: Ein Server leitet an andere Domains meist nur für authentifizierte Clients weiter, setzen Sie also einen Benutzernamen (%2); prüfen Sie auch die Adresse auf Tippfehler.</translation>
    </message>
    <message>
        <source>The server refused the recipient %1: check the address, and that this account may send to its domain.</source>
        <translation>Der Server hat den Empfänger %1 abgelehnt: Prüfen Sie die Adresse und ob dieses Konto an deren Domain senden darf.</translation>
    </message>
    <message>
        <source>The server refused the test message after DATA: content or spam filters, the SPF/DKIM/DMARC policy of the sender's domain (%1), or a From address that does not match the account. The server's log says which.</source>
        <translation>Der Server hat die Testnachricht nach DATA abgelehnt: Inhalts- oder Spamfilter, die SPF/DKIM/DMARC-Richtlinie der Absenderdomain (%1) oder eine From-Adresse, die nicht zum Konto passt. Das Protokoll des Servers nennt den Grund.</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <source>The server accepts messages of at most %1 bytes (its SIZE limit): send a smaller message or ask its admin to raise the limit.</source>
        <translation>Der Server nimmt Nachrichten von höchstens %1 Bytes an (seine SIZE-Grenze): Senden Sie eine kleinere Nachricht oder bitten Sie den Administrator, die Grenze anzuheben.</translation>
    </message>
    <message>
        <source>The server says the message is too large: send a smaller one or ask its admin for the size limit.</source>
        <translation>Der Server meldet, dass die Nachricht zu groß ist: Senden Sie eine kleinere oder fragen Sie den Administrator nach der Größengrenze.</translation>
    </message>
    <message>
        <source>The test was stopped before it finished; run it again to get a verdict.</source>
        <translation>Der Test wurde vor dem Ende gestoppt; führen Sie ihn erneut aus, um ein Ergebnis zu erhalten.</translation>
    </message>
    <message>
        <source>Nothing was sent: fix the field named in the message (host, port, addresses and the HELO name must be set and contain no line breaks) and run the test again.</source>
        <translation>Es wurde nichts gesendet: Korrigieren Sie das in der Meldung genannte Feld (Host, Port, Adressen und HELO-Name müssen gesetzt sein und dürfen keine Zeilenumbrüche enthalten) und führen Sie den Test erneut aus.</translation>
    </message>
    <message>
        <source>Nothing was sent to the server: sign in again (%1).</source>
        <translation>An den Server wurde nichts gesendet: Melden Sie sich erneut an (%1).</translation>
    </message>
    <message>
        <source>Nothing was sent to the server: check the provider's error above, the client id, the tenant and the endpoints of the OAuth settings.</source>
        <translation>An den Server wurde nichts gesendet: Prüfen Sie den Fehler des Anbieters oben, die Client-ID, den Mandanten und die Endpunkte der OAuth-Einstellungen.</translation>
    </message>
    <message>
        <source>Nothing was sent to the server: set the environment variable, or fix the command so that it prints the password on its first line and exits with status 0.</source>
        <translation>Nichts wurde an den Server gesendet: Setzen Sie die Umgebungsvariable, oder korrigieren Sie den Befehl, sodass er das Passwort in seiner ersten Zeile ausgibt und mit Status 0 endet.</translation>
    </message>
    <message>
        <source>Nothing was sent to the server: a password command from an imported file does not run until you enable it. Check what it runs, then enable it (%1).</source>
        <translation>Nichts wurde an den Server gesendet: Ein Passwortbefehl aus einer importierten Datei läuft erst, wenn Sie ihn aktivieren. Prüfen Sie, was er ausführt, und aktivieren Sie ihn dann (%1).</translation>
    </message>
    <message>
        <source>USER@REALM</source>
        <translation>BENUTZER@REALM</translation>
    </message>
    <message>
        <source>Nothing was sent to the server: this user has no Kerberos ticket (klist shows the credential cache, KRB5CCNAME names another one). Run kinit %1, then test again.</source>
        <translation>An den Server wurde nichts gesendet: Dieser Benutzer hat kein Kerberos-Ticket (klist zeigt den Credential-Cache, KRB5CCNAME nennt einen anderen). Führen Sie kinit %1 aus und testen Sie erneut.</translation>
    </message>
    <message>
        <source>The Kerberos ticket has expired: run kinit %1 (or kinit -R while it is renewable), then test again.</source>
        <translation>Das Kerberos-Ticket ist abgelaufen: Führen Sie kinit %1 aus (oder kinit -R, solange es erneuerbar ist) und testen Sie erneut.</translation>
    </message>
    <message>
        <source>The Kerberos realm has no service principal smtp/%1: use the server's host name as the realm knows it (%2), or ask the admin to create the principal smtp/%1 and put it in the server's keytab.</source>
        <translation>Der Kerberos-Realm kennt keinen Dienst-Principal smtp/%1: Verwenden Sie den Hostnamen des Servers so, wie der Realm ihn kennt (%2), oder bitten Sie den Administrator, den Principal smtp/%1 anzulegen und in die Keytab des Servers aufzunehmen.</translation>
    </message>
    <message>
        <source>Check the Kerberos error above: the realm and its KDC in krb5.conf (or KRB5_CONFIG), the clock, and your ticket (klist).</source>
        <translation>Prüfen Sie den obigen Kerberos-Fehler: den Realm und seinen KDC in krb5.conf (oder KRB5_CONFIG), die Uhrzeit und Ihr Ticket (klist).</translation>
    </message>
    <message>
        <source>The host name could not be resolved.</source>
        <translation>Der Hostname konnte nicht aufgelöst werden.</translation>
    </message>
    <message>
        <source>The server refused the connection.</source>
        <translation>Der Server hat die Verbindung abgelehnt.</translation>
    </message>
    <message>
        <source>The connection attempt timed out.</source>
        <translation>Der Verbindungsversuch hat das Zeitlimit überschritten.</translation>
    </message>
    <message>
        <source>The server's network is unreachable.</source>
        <translation>Das Netz des Servers ist nicht erreichbar.</translation>
    </message>
    <message>
        <source>The connection through the proxy failed.</source>
        <translation>Die Verbindung über den Proxy ist fehlgeschlagen.</translation>
    </message>
    <message>
        <source>The proxy refused the proxy credentials.</source>
        <translation>Der Proxy hat die Proxy-Anmeldedaten abgelehnt.</translation>
    </message>
    <message>
        <source>The server sent no greeting in time.</source>
        <translation>Der Server hat nicht rechtzeitig eine Begrüßung gesendet.</translation>
    </message>
    <message>
        <source>The server refused the session in its greeting.</source>
        <translation>Der Server hat die Sitzung in seiner Begrüßung abgelehnt.</translation>
    </message>
    <message>
        <source>The server's reply violates the SMTP protocol.</source>
        <translation>Die Antwort des Servers verletzt das SMTP-Protokoll.</translation>
    </message>
    <message>
        <source>The server closed the connection unexpectedly.</source>
        <translation>Der Server hat die Verbindung unerwartet geschlossen.</translation>
    </message>
    <message>
        <source>The server did not reply in time.</source>
        <translation>Der Server hat nicht rechtzeitig geantwortet.</translation>
    </message>
    <message>
        <source>The TLS handshake failed.</source>
        <translation>Der TLS-Handshake ist fehlgeschlagen.</translation>
    </message>
    <message>
        <source>The allowed TLS versions are not available on this system.</source>
        <translation>Die erlaubten TLS-Versionen sind auf diesem System nicht verfügbar.</translation>
    </message>
    <message>
        <source>The server's certificate is not trusted.</source>
        <translation>Dem Zertifikat des Servers wird nicht vertraut.</translation>
    </message>
    <message>
        <source>The server's certificate is for another host name.</source>
        <translation>Das Zertifikat des Servers gilt für einen anderen Hostnamen.</translation>
    </message>
    <message>
        <source>The server's certificate has expired or is not yet valid.</source>
        <translation>Das Zertifikat des Servers ist abgelaufen oder noch nicht gültig.</translation>
    </message>
    <message>
        <source>The server's certificate does not match the pinned one.</source>
        <translation>Das Zertifikat des Servers stimmt nicht mit dem hinterlegten überein.</translation>
    </message>
    <message>
        <source>The server does not offer STARTTLS.</source>
        <translation>Der Server bietet kein STARTTLS an.</translation>
    </message>
    <message>
        <source>The server refused STARTTLS.</source>
        <translation>Der Server hat STARTTLS abgelehnt.</translation>
    </message>
    <message>
        <source>Unencrypted data was injected after STARTTLS.</source>
        <translation>Nach STARTTLS wurden unverschlüsselte Daten eingeschleust.</translation>
    </message>
    <message>
        <source>The server does not offer authentication.</source>
        <translation>Der Server bietet keine Authentifizierung an.</translation>
    </message>
    <message>
        <source>The server does not offer the chosen authentication mechanism.</source>
        <translation>Der Server bietet das gewählte Authentifizierungsverfahren nicht an.</translation>
    </message>
    <message>
        <source>Authentication failed.</source>
        <translation>Die Authentifizierung ist fehlgeschlagen.</translation>
    </message>
    <message>
        <source>Credentials were not sent over an unencrypted connection.</source>
        <translation>Anmeldedaten wurden nicht über eine unverschlüsselte Verbindung gesendet.</translation>
    </message>
    <message>
        <source>The server refused the sender.</source>
        <translation>Der Server hat den Absender abgelehnt.</translation>
    </message>
    <message>
        <source>The server refused the recipient.</source>
        <translation>Der Server hat den Empfänger abgelehnt.</translation>
    </message>
    <message>
        <source>The server refused the message.</source>
        <translation>Der Server hat die Nachricht abgelehnt.</translation>
    </message>
    <message>
        <source>The message is too large.</source>
        <translation>Die Nachricht ist zu groß.</translation>
    </message>
    <message>
        <source>The test settings are invalid.</source>
        <translation>Die Testeinstellungen sind ungültig.</translation>
    </message>
    <message>
        <source>The test was cancelled.</source>
        <translation>Der Test wurde abgebrochen.</translation>
    </message>
    <message>
        <source>OAuth sign-in is required: no valid refresh token.</source>
        <translation>OAuth-Anmeldung erforderlich: kein gültiges Aktualisierungstoken.</translation>
    </message>
    <message>
        <source>No OAuth access token could be obtained.</source>
        <translation>Es konnte kein OAuth-Zugriffstoken bezogen werden.</translation>
    </message>
    <message>
        <source>The password could not be read from its environment variable or command.</source>
        <translation>Das Passwort konnte nicht aus seiner Umgebungsvariablen oder seinem Befehl gelesen werden.</translation>
    </message>
    <message>
        <source>The password command is disabled.</source>
        <translation>Der Passwortbefehl ist deaktiviert.</translation>
    </message>
    <message>
        <source>There is no Kerberos ticket to log on with.</source>
        <translation>Es gibt kein Kerberos-Ticket für die Anmeldung.</translation>
    </message>
    <message>
        <source>The Kerberos ticket has expired.</source>
        <translation>Das Kerberos-Ticket ist abgelaufen.</translation>
    </message>
    <message>
        <source>Kerberos does not know the server's service principal.</source>
        <translation>Kerberos kennt den Dienst-Principal des Servers nicht.</translation>
    </message>
    <message>
        <source>Kerberos (GSSAPI) failed.</source>
        <translation>Kerberos (GSSAPI) ist fehlgeschlagen.</translation>
    </message>
    <message>
        <source>Unknown error (%1).</source>
        <translation>Unbekannter Fehler (%1).</translation>
    </message>
    <message>
        <source>Run the test again with the transcript (%1) to see the server's exact words.</source>
        <translation>Führen Sie den Test mit Protokoll erneut aus (%1), um den genauen Wortlaut des Servers zu sehen.</translation>
    </message>
</context>
<context>
    <name>DsnProfileFormat</name>
    <message>
        <source>line %1: not a valid DSN (expected smtp://[user@]host[:port][?options])</source>
        <translation>Zeile %1: keine gültige DSN (erwartet: smtp://[user@]host[:port][?optionen])</translation>
    </message>
    <message>
        <source>line %1: '%2://' is not a plain SMTP DSN; skipped</source>
        <translation>Zeile %1: „%2://“ ist keine einfache SMTP-DSN; übersprungen</translation>
    </message>
    <message>
        <source>line %1: the DSN has no host</source>
        <translation>Zeile %1: Die DSN hat keinen Host</translation>
    </message>
    <message>
        <source>line %1: the password was not copied; enter it again in Relaydeck (it is kept in the keychain)</source>
        <translation>Zeile %1: Das Passwort wurde nicht übernommen; geben Sie es in Relaydeck erneut ein (es wird im Schlüsselbund abgelegt)</translation>
    </message>
    <message>
        <source>line %1: peer_fingerprint is not a SHA-256 fingerprint; only SHA-256 pins are supported</source>
        <translation>Zeile %1: peer_fingerprint ist kein SHA-256-Fingerabdruck; nur SHA-256 wird unterstützt</translation>
    </message>
</context>
<context>
    <name>JsonProfileFormat</name>
    <message>
        <source>line %1: not valid JSON (%2)</source>
        <translation>Zeile %1: kein gültiges JSON (%2)</translation>
    </message>
    <message>
        <source>the document must be a JSON object with &quot;format&quot;, &quot;version&quot; and &quot;profiles&quot;</source>
        <translation>Das Dokument muss ein JSON-Objekt mit „format“, „version“ und „profiles“ sein</translation>
    </message>
    <message>
        <source>format: expected &quot;%1&quot;, found &quot;%2&quot;</source>
        <translation>format: „%1“ erwartet, „%2“ gefunden</translation>
    </message>
    <message>
        <source>version: must be a whole number of at least 1</source>
        <translation>version: muss eine ganze Zahl von mindestens 1 sein</translation>
    </message>
    <message>
        <source>version: the file is version %1, this Relaydeck reads version %2 or older; update Relaydeck to import it</source>
        <translation>version: Die Datei hat Version %1, dieses Relaydeck liest Version %2 oder älter; aktualisieren Sie Relaydeck, um sie zu importieren</translation>
    </message>
    <message>
        <source>profiles: must be an array</source>
        <translation>profiles: muss ein Array sein</translation>
    </message>
    <message>
        <source>profiles[%1]: must be an object</source>
        <translation>profiles[%1]: muss ein Objekt sein</translation>
    </message>
</context>
<context>
    <name>KeychainSecretStore</name>
    <message>
        <source>The keychain could not delete the entry%1.</source>
        <translation>Der Schlüsselbund konnte den Eintrag nicht löschen%1.</translation>
    </message>
    <message>
        <source>Access to the keychain was refused (the unlock or permission prompt was cancelled).</source>
        <translation>Der Zugriff auf den Schlüsselbund wurde verweigert (die Entsperr- oder Berechtigungsabfrage wurde abgebrochen).</translation>
    </message>
    <message>
        <source>The keychain refused access%1. It may be locked: unlock it (e.g. log in to the desktop session) and try again.</source>
        <translation>Der Schlüsselbund hat den Zugriff verweigert%1. Er ist womöglich gesperrt: Entsperren Sie ihn (z. B. durch Anmelden an der Desktop-Sitzung) und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>No keychain is available%1. Start a Secret Service provider such as GNOME Keyring or KWallet in this session; Relaydeck never stores secrets in plain text.</source>
        <translation>Kein Schlüsselbund verfügbar%1. Starten Sie in dieser Sitzung einen Secret-Service-Anbieter wie GNOME Keyring oder KWallet; Relaydeck speichert Geheimnisse nie im Klartext.</translation>
    </message>
    <message>
        <source>The keychain does not support this operation%1.</source>
        <translation>Der Schlüsselbund unterstützt diesen Vorgang nicht%1.</translation>
    </message>
    <message>
        <source>No keyring is reachable: there is no D-Bus session bus%1. Run Relaydeck in a desktop session (or start one with dbus-run-session and an unlocked gnome-keyring-daemon). Relaydeck never stores secrets in plain text.</source>
        <translation>Kein Schlüsselbund erreichbar: Es gibt keinen D-Bus-Sitzungsbus%1. Starten Sie Relaydeck in einer Desktop-Sitzung (oder starten Sie eine mit dbus-run-session und einem entsperrten gnome-keyring-daemon). Relaydeck speichert Geheimnisse nie im Klartext.</translation>
    </message>
    <message>
        <source>No keyring is running%1. Start a Secret Service provider such as GNOME Keyring or KWallet; Relaydeck never stores secrets in plain text.</source>
        <translation>Es läuft kein Schlüsselbund%1. Starten Sie einen Secret-Service-Anbieter wie GNOME Keyring oder KWallet; Relaydeck speichert Geheimnisse nie im Klartext.</translation>
    </message>
    <message>
        <source>The keyring is locked or has no default collection%1. Unlock it (log in to the desktop session, or gnome-keyring-daemon --unlock) and try again.</source>
        <translation>Der Schlüsselbund ist gesperrt oder hat keine Standardsammlung%1. Entsperren Sie ihn (an der Desktop-Sitzung anmelden oder gnome-keyring-daemon --unlock) und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>The keychain failed%1. Is a keyring (GNOME Keyring, KWallet) running and unlocked in this session? Relaydeck never stores secrets in plain text.</source>
        <translation>Der Schlüsselbund ist fehlgeschlagen%1. Läuft in dieser Sitzung ein entsperrter Schlüsselbund (GNOME Keyring, KWallet)? Relaydeck speichert Geheimnisse nie im Klartext.</translation>
    </message>
    <message>
        <source>The keychain did not answer within %1 seconds. Is a keyring (GNOME Keyring, KWallet) running and unlocked in this session?</source>
        <translation>Der Schlüsselbund hat nicht innerhalb von %1 Sekunden geantwortet. Läuft in dieser Sitzung ein entsperrter Schlüsselbund (GNOME Keyring, KWallet)?</translation>
    </message>
</context>
<context>
    <name>LastResults</name>
    <message>
        <source>Authenticated with %1.</source>
        <translation>Mit %1 authentifiziert.</translation>
    </message>
    <message>
        <source>Connected; no authentication configured.</source>
        <translation>Verbunden; keine Authentifizierung eingerichtet.</translation>
    </message>
    <message>
        <source>Test cancelled.</source>
        <translation>Test abgebrochen.</translation>
    </message>
</context>
<context>
    <name>MsmtpProfileFormat</name>
    <message>
        <source>line %1: unknown msmtp command '%2'</source>
        <translation>Zeile %1: unbekannter msmtp-Befehl „%2“</translation>
    </message>
    <message>
        <source>line %1: 'account' needs a name without blanks, optionally followed by ': account,...'</source>
        <translation>Zeile %1: „account“ braucht einen Namen ohne Leerzeichen, optional gefolgt von „: konto,...“</translation>
    </message>
    <message>
        <source>line %1: account '%2' inherits from '%3', which is not defined before it</source>
        <translation>Zeile %1: Konto „%2“ erbt von „%3“, das nicht davor definiert ist</translation>
    </message>
    <message>
        <source>line %1: account '%2' is defined twice</source>
        <translation>Zeile %1: Konto „%2“ ist doppelt definiert</translation>
    </message>
    <message>
        <source>line %1: '%2' comes before any 'defaults' or 'account' line</source>
        <translation>Zeile %1: „%2“ steht vor jeder „defaults“- oder „account“-Zeile</translation>
    </message>
    <message>
        <source>line %1: %2</source>
        <translation>Zeile %1: %2</translation>
    </message>
    <message>
        <source>line %1: 'account default : %2' (msmtp's default account) has no Relaydeck equivalent</source>
        <translation>Zeile %1: „account default : %2“ (das Standardkonto von msmtp) hat in Relaydeck keine Entsprechung</translation>
    </message>
    <message>
        <source>line %1: account '%2' has no host; not imported</source>
        <translation>Zeile %1: Konto „%2“ hat keinen Host; nicht importiert</translation>
    </message>
    <message>
        <source>port '%1' is not a port number</source>
        <translation>Port „%1“ ist keine Portnummer</translation>
    </message>
    <message>
        <source>timeout off: Relaydeck always uses a timeout (%1 s)</source>
        <translation>timeout off: Relaydeck verwendet immer ein Zeitlimit (%1 s)</translation>
    </message>
    <message>
        <source>timeout '%1' is not a number of seconds</source>
        <translation>timeout „%1“ ist keine Anzahl Sekunden</translation>
    </message>
    <message>
        <source>tls_fingerprint is not SHA-256 (SHA-1 and MD5 fingerprints are not accepted); pin the certificate again with Relaydeck</source>
        <translation>tls_fingerprint ist kein SHA-256 (SHA-1- und MD5-Fingerabdrücke werden nicht akzeptiert); hinterlegen Sie das Zertifikat in Relaydeck neu</translation>
    </message>
    <message>
        <source>tls_priorities '%1' is not used; Relaydeck reads one range of TLS versions from it (1.0 to 1.3, e.g. NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2)</source>
        <translation>tls_priorities „%1“ wird nicht verwendet; Relaydeck liest daraus einen zusammenhängenden Bereich von TLS-Versionen (1.0 bis 1.3, z. B. NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2)</translation>
    </message>
    <message>
        <source>proxy_port '%1' is not a port number</source>
        <translation>proxy_port „%1“ ist keine Portnummer</translation>
    </message>
    <message>
        <source>password: not copied (Relaydeck keeps passwords only in the keychain); enter it again for '%1'</source>
        <translation>password: nicht übernommen (Relaydeck bewahrt Passwörter nur im Schlüsselbund auf); geben Sie es für „%1“ erneut ein</translation>
    </message>
    <message>
        <source>'%1' is not used by Relaydeck</source>
        <translation>„%1“ wird von Relaydeck nicht verwendet</translation>
    </message>
    <message>
        <source>auth %1 is not supported by Relaydeck; the mechanism is chosen automatically</source>
        <translation>auth %1 wird von Relaydeck nicht unterstützt; das Verfahren wird automatisch gewählt</translation>
    </message>
    <message>
        <source>passwordeval: the token command is not run; set up OAuth sign-in for '%1' in Relaydeck</source>
        <translation>passwordeval: Der Token-Befehl wird nicht ausgeführt; richten Sie die OAuth-Anmeldung für „%1“ in Relaydeck ein</translation>
    </message>
</context>
<context>
    <name>OAuthError</name>
    <message>
        <source>No client id is set: enter the client id of your app registration.</source>
        <translation>Keine Client-ID gesetzt: Geben Sie die Client-ID Ihrer App-Registrierung an.</translation>
    </message>
    <message>
        <source>The provider no longer accepts the sign-in (%1). Sign in again.</source>
        <translation>Der Anbieter akzeptiert die Anmeldung nicht mehr (%1). Melden Sie sich erneut an.</translation>
    </message>
    <message>
        <source>The provider refused the request: %1</source>
        <translation>Der Anbieter hat die Anfrage abgelehnt: %1</translation>
    </message>
    <message>
        <source>Set it: %1.</source>
        <translation>Festlegen unter: %1.</translation>
    </message>
    <message>
        <source>Microsoft expects a client secret for this app, or treat it as a public client: allow public client flows in the app registration.</source>
        <translation>Microsoft erwartet für diese App ein Client-Geheimnis, oder behandeln Sie sie als öffentlichen Client: Erlauben Sie öffentliche Clientflows in der App-Registrierung.</translation>
    </message>
    <message>
        <source>The provider does not know this client id, or it may not use this flow: check the client id (and the tenant) of your app registration.</source>
        <translation>Der Anbieter kennt diese Client-ID nicht, oder sie darf diesen Ablauf nicht nutzen: Prüfen Sie die Client-ID (und den Mandanten) Ihrer App-Registrierung.</translation>
    </message>
    <message>
        <source>The app is registered as a public client: remove the stored client secret.</source>
        <translation>Die App ist als öffentlicher Client registriert: Entfernen Sie das gespeicherte Client-Geheimnis.</translation>
    </message>
    <message>
        <source>The tenant is wrong for this account: enter your directory (tenant) id or domain, or 'organizations'.</source>
        <translation>Der Mandant passt nicht zu diesem Konto: Geben Sie Ihre Verzeichnis-(Mandanten-)ID oder Domain an, oder 'organizations'.</translation>
    </message>
    <message>
        <source>The app lacks consent for SMTP.Send: grant it (an administrator may have to) and sign in again.</source>
        <translation>Der App fehlt die Zustimmung für SMTP.Send: Erteilen Sie sie (eventuell muss das ein Administrator tun) und melden Sie sich erneut an.</translation>
    </message>
    <message>
        <source>The sign-in was denied or cancelled in the browser: sign in again and allow the access.</source>
        <translation>Die Anmeldung wurde im Browser abgelehnt oder abgebrochen: Melden Sie sich erneut an und erlauben Sie den Zugriff.</translation>
    </message>
    <message>
        <source>Sign in again (%1).</source>
        <translation>Melden Sie sich erneut an (%1).</translation>
    </message>
</context>
<context>
    <name>OAuthTokenSource</name>
    <message>
        <source>'%1' is not signed in: no refresh token is stored.</source>
        <translation>'%1' ist nicht angemeldet: Es ist kein Aktualisierungstoken gespeichert.</translation>
    </message>
    <message>
        <source>The provider issued a new refresh token, but it could not be saved: %1</source>
        <translation>Der Anbieter hat ein neues Aktualisierungstoken ausgestellt, es konnte aber nicht gespeichert werden: %1</translation>
    </message>
</context>
<context>
    <name>PresetPrompt</name>
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
</context>
<context>
    <name>Presets</name>
    <message>
        <source>Microsoft Exchange (your server)</source>
        <translation>Microsoft Exchange (Ihr Server)</translation>
    </message>
    <message>
        <source>Enter your Exchange server's name. The client submission connector listens on 587 with STARTTLS; the mailbox must be allowed to send as the sender address. Port 25 connectors usually relay without authentication for allowed IP addresses only.</source>
        <translation>Geben Sie den Namen Ihres Exchange-Servers ein. Der Client-Submission-Connector lauscht auf 587 mit STARTTLS; das Postfach muss mit der Absenderadresse senden dürfen. Connectors auf Port 25 leiten meist ohne Authentifizierung weiter, aber nur für erlaubte IP-Adressen.</translation>
    </message>
    <message>
        <source>Microsoft 365 / Office 365</source>
        <translation>Microsoft 365 / Office 365</translation>
    </message>
    <message>
        <source>Sign in with OAuth2 (XOAUTH2): Microsoft turns basic authentication for SMTP off. Register an app once: 1. Entra admin center &gt; App registrations &gt; New registration; under Authentication add the platform &quot;Mobile and desktop applications&quot; with the redirect URI http://localhost and allow public client flows. 2. API permissions &gt; Add &gt; Microsoft Graph &gt; Delegated: SMTP.Send and offline_access; grant admin consent. 3. Enter the Application (client) ID and your Directory (tenant) ID here and sign in. SMTP AUTH must be enabled for the mailbox (Microsoft 365 admin center, or Set-CASMailbox -SmtpClientAuthenticationDisabled $false); otherwise the server answers 5.7.139. TLS 1.2 or later is required.</source>
        <translation>Mit OAuth2 (XOAUTH2) anmelden: Microsoft schaltet die Standardauthentifizierung für SMTP ab. Registrieren Sie einmal eine App: 1. Entra Admin Center &gt; App-Registrierungen &gt; Neue Registrierung; unter Authentifizierung die Plattform „Mobile und Desktopanwendungen“ mit dem Umleitungs-URI http://localhost hinzufügen und öffentliche Clientflows zulassen. 2. API-Berechtigungen &gt; Berechtigung hinzufügen &gt; Microsoft Graph &gt; Delegiert: SMTP.Send und offline_access; Administratorzustimmung erteilen. 3. Hier die Anwendungs-ID (Client-ID) und Ihre Verzeichnis-ID (Mandanten-ID) eingeben und anmelden. SMTP AUTH muss für das Postfach aktiviert sein (Microsoft 365 Admin Center oder Set-CASMailbox -SmtpClientAuthenticationDisabled $false); sonst antwortet der Server mit 5.7.139. TLS 1.2 oder neuer ist erforderlich.</translation>
    </message>
    <message>
        <source>Gmail / Google Workspace</source>
        <translation>Gmail / Google Workspace</translation>
    </message>
    <message>
        <source>Sign in with OAuth2 (XOAUTH2): Google no longer accepts the account password. Register an app once: 1. Google Cloud console &gt; Google Auth Platform: configure the consent screen and add the scope https://mail.google.com/ (and yourself as a test user while the app is in testing). 2. Clients &gt; Create client &gt; Desktop app. 3. Enter its client ID and its client secret here and sign in. Without OAuth: turn on 2-Step Verification, create an app password and choose PLAIN. Port 587 with STARTTLS works as well.</source>
        <translation>Mit OAuth2 (XOAUTH2) anmelden: Google nimmt das Kontopasswort nicht mehr an. Registrieren Sie einmal eine App: 1. Google Cloud Console &gt; Google Auth Platform: den Zustimmungsbildschirm einrichten und den Bereich https://mail.google.com/ hinzufügen (solange die App im Test ist, sich selbst als Testnutzer). 2. Clients &gt; Client erstellen &gt; Desktop-App. 3. Hier deren Client-ID und Client-Secret eingeben und anmelden. Ohne OAuth: die Bestätigung in zwei Schritten aktivieren, ein App-Passwort erstellen und PLAIN wählen. Port 587 mit STARTTLS funktioniert ebenso.</translation>
    </message>
    <message>
        <source>Amazon SES</source>
        <translation>Amazon SES</translation>
    </message>
    <message>
        <source>Use SES SMTP credentials (created under SMTP settings in the SES console), not IAM access keys; they are specific to the region. The sender address or its domain must be verified in SES, and while the account is in the sandbox the recipients must be verified too.</source>
        <translation>Verwenden Sie SES-SMTP-Anmeldedaten (erstellt unter „SMTP settings“ in der SES-Konsole), keine IAM-Zugriffsschlüssel; sie gelten nur für ihre Region. Die Absenderadresse oder ihre Domain muss in SES bestätigt sein, und solange das Konto in der Sandbox ist, auch die Empfänger.</translation>
    </message>
    <message>
        <source>Outlook.com / Hotmail</source>
        <translation>Outlook.com / Hotmail</translation>
    </message>
    <message>
        <source>Accounts with two-step verification need an app password; Microsoft is phasing out basic authentication for Outlook.com in favour of OAuth2 (XOAUTH2).</source>
        <translation>Konten mit Bestätigung in zwei Schritten brauchen ein App-Passwort; Microsoft schafft die Standardauthentifizierung für Outlook.com zugunsten von OAuth2 (XOAUTH2) ab.</translation>
    </message>
    <message>
        <source>Yahoo Mail</source>
        <translation>Yahoo Mail</translation>
    </message>
    <message>
        <source>Yahoo requires an app password (Account security &gt; Generate app password); the account password is refused.</source>
        <translation>Yahoo verlangt ein App-Passwort (Kontosicherheit &gt; App-Passwort generieren); das Kontopasswort wird abgelehnt.</translation>
    </message>
    <message>
        <source>iCloud Mail</source>
        <translation>iCloud Mail</translation>
    </message>
    <message>
        <source>Use an app-specific password from appleid.apple.com; the user name is your full iCloud address.</source>
        <translation>Verwenden Sie ein app-spezifisches Passwort von appleid.apple.com; der Benutzername ist Ihre vollständige iCloud-Adresse.</translation>
    </message>
    <message>
        <source>Fastmail</source>
        <translation>Fastmail</translation>
    </message>
    <message>
        <source>Create an app password with SMTP access (Settings &gt; Privacy &amp; Security &gt; App passwords); the user name is your full Fastmail address.</source>
        <translation>Erstellen Sie ein App-Passwort mit SMTP-Zugriff (Einstellungen &gt; Privatsphäre &amp; Sicherheit &gt; App-Passwörter); der Benutzername ist Ihre vollständige Fastmail-Adresse.</translation>
    </message>
    <message>
        <source>Zoho Mail</source>
        <translation>Zoho Mail</translation>
    </message>
    <message>
        <source>Accounts in other data centres use their own host (smtp.zoho.eu, smtp.zoho.in, ...). With two-factor authentication, use an application-specific password. The sender must be your Zoho address.</source>
        <translation>Konten in anderen Rechenzentren verwenden ihren eigenen Host (smtp.zoho.eu, smtp.zoho.in, ...). Mit Zwei-Faktor-Authentifizierung verwenden Sie ein anwendungsspezifisches Passwort. Der Absender muss Ihre Zoho-Adresse sein.</translation>
    </message>
    <message>
        <source>SendGrid</source>
        <translation>SendGrid</translation>
    </message>
    <message>
        <source>The user name is literally &quot;apikey&quot;; the password is a SendGrid API key with the Mail Send permission. The sender must be a verified sender identity or an authenticated domain.</source>
        <translation>Der Benutzername lautet wörtlich „apikey“; das Passwort ist ein SendGrid-API-Schlüssel mit der Berechtigung „Mail Send“. Der Absender muss eine bestätigte Absenderidentität oder eine authentifizierte Domain sein.</translation>
    </message>
    <message>
        <source>Mailgun</source>
        <translation>Mailgun</translation>
    </message>
    <message>
        <source>Use the SMTP credentials of your sending domain (Domain settings &gt; SMTP credentials), e.g. postmaster@mg.example.com. Domains in the EU region use smtp.eu.mailgun.org.</source>
        <translation>Verwenden Sie die SMTP-Anmeldedaten Ihrer Versanddomain (Domain settings &gt; SMTP credentials), z. B. postmaster@mg.example.com. Domains in der EU-Region verwenden smtp.eu.mailgun.org.</translation>
    </message>
    <message>
        <source>Postmark</source>
        <translation>Postmark</translation>
    </message>
    <message>
        <source>Both the user name and the password are your Postmark Server API token. The sender signature or domain must be confirmed in Postmark.</source>
        <translation>Benutzername und Passwort sind beide Ihr Postmark-Server-API-Token. Die Absendersignatur oder Domain muss in Postmark bestätigt sein.</translation>
    </message>
    <message>
        <source>Brevo (Sendinblue)</source>
        <translation>Brevo (Sendinblue)</translation>
    </message>
    <message>
        <source>The user name is the SMTP login shown under SMTP &amp; API (not your account e-mail), the password an SMTP key created there. The sender must be a verified sender or domain.</source>
        <translation>Der Benutzername ist der SMTP-Login unter „SMTP &amp; API“ (nicht Ihre Konto-E-Mail), das Passwort ein dort erstellter SMTP-Schlüssel. Der Absender muss ein bestätigter Absender oder eine bestätigte Domain sein.</translation>
    </message>
    <message>
        <source>Local relay (localhost)</source>
        <translation>Lokales Relay (localhost)</translation>
    </message>
    <message>
        <source>A mail server on this machine (Postfix, Exim, ...) relaying without authentication. Nothing leaves the machine unencrypted on the way to it.</source>
        <translation>Ein Mailserver auf diesem Rechner (Postfix, Exim, ...), der ohne Authentifizierung weiterleitet. Auf dem Weg dorthin verlässt nichts unverschlüsselt den Rechner.</translation>
    </message>
    <message>
        <source>The built-in presets are missing (%1).</source>
        <translation>Die eingebauten Vorlagen fehlen (%1).</translation>
    </message>
    <message>
        <source>The built-in presets are damaged: %1</source>
        <translation>Die eingebauten Vorlagen sind beschädigt: %1</translation>
    </message>
    <message>
        <source>Unknown preset '%1'. Known presets: %2.</source>
        <translation>Unbekannte Vorlage „%1“. Bekannte Vorlagen: %2.</translation>
    </message>
    <message>
        <source>The preset '%1' has no regions.</source>
        <translation>Die Vorlage „%1“ hat keine Regionen.</translation>
    </message>
    <message>
        <source>Unknown region '%1' for the preset '%2'. Regions: %3.</source>
        <translation>Unbekannte Region „%1“ für die Vorlage „%2“. Regionen: %3.</translation>
    </message>
    <message>
        <source>offset %1: %2</source>
        <translation>Position %1: %2</translation>
    </message>
    <message>
        <source>format: expected &quot;relaydeck-presets&quot;</source>
        <translation>format: „relaydeck-presets“ erwartet</translation>
    </message>
    <message>
        <source>version: expected 1</source>
        <translation>version: 1 erwartet</translation>
    </message>
    <message>
        <source>%1.id: missing</source>
        <translation>%1.id: fehlt</translation>
    </message>
    <message>
        <source>%1.port: must be 1 to 65535</source>
        <translation>%1.port: muss zwischen 1 und 65535 liegen</translation>
    </message>
    <message>
        <source>%1.security: expected none, starttls or tls</source>
        <translation>%1.security: none, starttls oder tls erwartet</translation>
    </message>
    <message>
        <source>%1.tlsMinVersion: expected 1.2 or 1.3</source>
        <translation>%1.tlsMinVersion: 1.2 oder 1.3 erwartet</translation>
    </message>
    <message>
        <source>%1.mechanism: unknown mechanism</source>
        <translation>%1.mechanism: unbekanntes Verfahren</translation>
    </message>
    <message>
        <source>%1.oauth.provider: expected microsoft, google or custom</source>
        <translation>%1.oauth.provider: erwartet microsoft, google oder custom</translation>
    </message>
    <message>
        <source>%1.alternatives: each needs a port and a security</source>
        <translation>%1.alternatives: Jede braucht einen Port und eine Sicherheit</translation>
    </message>
    <message>
        <source>%1: a host with {region} needs regions and a default region among them</source>
        <translation>%1: Ein Host mit {region} braucht Regionen und eine Standardregion darunter</translation>
    </message>
</context>
<context>
    <name>ProfileFormats</name>
    <message>
        <source>The file is neither a Relaydeck JSON export, an msmtp configuration nor a list of smtp:// DSNs.</source>
        <translation>Die Datei ist weder ein Relaydeck-JSON-Export noch eine msmtp-Konfiguration noch eine Liste von smtp://-DSNs.</translation>
    </message>
    <message>
        <source>Not in the file: %1. The file has: %2.</source>
        <translation>Nicht in der Datei: %1. Die Datei enthält: %2.</translation>
    </message>
</context>
<context>
    <name>ProfileJson</name>
    <message>
        <source>must be a string</source>
        <translation>muss eine Zeichenkette sein</translation>
    </message>
    <message>
        <source>must be true or false</source>
        <translation>muss true oder false sein</translation>
    </message>
    <message>
        <source>must be a whole number</source>
        <translation>muss eine ganze Zahl sein</translation>
    </message>
    <message>
        <source>must be between %1 and %2</source>
        <translation>muss zwischen %1 und %2 liegen</translation>
    </message>
    <message>
        <source>must be an object</source>
        <translation>muss ein Objekt sein</translation>
    </message>
    <message>
        <source>unknown password source '%1' (expected keychain, environment or command)</source>
        <translation>unbekannte Passwortquelle '%1' (erwartet: keychain, environment oder command)</translation>
    </message>
    <message>
        <source>must be an array of strings</source>
        <translation>muss ein Array aus Zeichenketten sein</translation>
    </message>
    <message>
        <source>'%1' is not a UUID</source>
        <translation>„%1“ ist keine UUID</translation>
    </message>
    <message>
        <source>unknown security '%1' (expected none, starttls, tls or auto)</source>
        <translation>unbekannte Sicherheit „%1“ (none, starttls, tls oder auto erwartet)</translation>
    </message>
    <message>
        <source>unknown mechanism '%1'</source>
        <translation>unbekanntes Verfahren „%1“</translation>
    </message>
    <message>
        <source>unknown TLS version '%1' (expected 1.0, 1.1, 1.2 or 1.3)</source>
        <translation>unbekannte TLS-Version „%1“ (erwartet: 1.0, 1.1, 1.2 oder 1.3)</translation>
    </message>
    <message>
        <source>'%1' is not a SHA-256 fingerprint (64 hex digits)</source>
        <translation>„%1“ ist kein SHA-256-Fingerabdruck (64 Hexadezimalziffern)</translation>
    </message>
    <message>
        <source>unknown proxy type '%1' (expected none, system, socks5 or http)</source>
        <translation>unbekannter Proxy-Typ „%1“ (erwartet: none, system, socks5 oder http)</translation>
    </message>
    <message>
        <source>unknown OAuth provider '%1' (expected none, microsoft, google or custom)</source>
        <translation>unbekannter OAuth-Anbieter '%1' (erwartet none, microsoft, google oder custom)</translation>
    </message>
</context>
<context>
    <name>ProfileSecrets</name>
    <message>
        <source>SMTP password</source>
        <translation>SMTP-Passwort</translation>
    </message>
    <message>
        <source>proxy password</source>
        <translation>Proxy-Passwort</translation>
    </message>
    <message>
        <source>client key passphrase</source>
        <translation>Passphrase des Client-Schlüssels</translation>
    </message>
    <message>
        <source>OAuth refresh token</source>
        <translation>OAuth-Aktualisierungstoken</translation>
    </message>
    <message>
        <source>OAuth client secret</source>
        <translation>OAuth-Client-Geheimnis</translation>
    </message>
    <message>
        <source>Reading the %1 from the keychain failed: %2</source>
        <translation>Das Lesen von „%1“ aus dem Schlüsselbund ist fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>Saving the %1 in the keychain failed: %2</source>
        <translation>Das Speichern von „%1“ im Schlüsselbund ist fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>Removing the %1 from the keychain failed: %2</source>
        <translation>Das Entfernen von „%1“ aus dem Schlüsselbund ist fehlgeschlagen: %2</translation>
    </message>
</context>
<context>
    <name>ProfileStore</name>
    <message>
        <source>Another connection is already called '%1' (names are compared ignoring case).</source>
        <translation>Eine andere Verbindung heißt bereits „%1“ (Groß- und Kleinschreibung wird bei Namen nicht unterschieden).</translation>
    </message>
    <message>
        <source>The connection '%1' was not saved:
%2</source>
        <translation>Die Verbindung „%1“ wurde nicht gespeichert:
%2</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>%1 is damaged (%2). Relaydeck will not read or change it until you fix it or move it away (the previous version may be in %1.bak).</source>
        <translation>%1 ist beschädigt (%2). Relaydeck liest oder ändert die Datei erst wieder, wenn Sie sie reparieren oder wegbewegen (die vorige Fassung liegt womöglich in %1.bak).</translation>
    </message>
    <message>
        <source>line %1, column %2: %3</source>
        <translation>Zeile %1, Spalte %2: %3</translation>
    </message>
    <message>
        <source>the top level must be an object</source>
        <translation>Die oberste Ebene muss ein Objekt sein</translation>
    </message>
    <message>
        <source>&quot;format&quot; must be &quot;%1&quot;</source>
        <translation>„format“ muss „%1“ sein</translation>
    </message>
    <message>
        <source>&quot;version&quot; must be a whole number</source>
        <translation>„version“ muss eine ganze Zahl sein</translation>
    </message>
    <message>
        <source>%1 was written by a newer Relaydeck (file version %2; this Relaydeck knows version %3). Update Relaydeck; it will not read or change the file until then.</source>
        <translation>%1 wurde von einem neueren Relaydeck geschrieben (Dateiversion %2; dieses Relaydeck kennt Version %3). Aktualisieren Sie Relaydeck; bis dahin wird die Datei weder gelesen noch geändert.</translation>
    </message>
    <message>
        <source>&quot;profiles&quot; must be an array</source>
        <translation>„profiles“ muss ein Array sein</translation>
    </message>
    <message>
        <source>profiles[%1] must be an object</source>
        <translation>profiles[%1] muss ein Objekt sein</translation>
    </message>
    <message>
        <source>profiles[%1].name is empty</source>
        <translation>profiles[%1].name ist leer</translation>
    </message>
    <message>
        <source>profiles[%1].name: '%2' is used twice</source>
        <translation>profiles[%1].name: „%2“ kommt doppelt vor</translation>
    </message>
    <message>
        <source>profiles[%1].id: '%2' is used twice</source>
        <translation>profiles[%1].id: „%2“ kommt doppelt vor</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>Cannot keep a backup of %1 in %2; nothing was changed.</source>
        <translation>Von %1 kann keine Sicherung in %2 angelegt werden; es wurde nichts geändert.</translation>
    </message>
    <message>
        <source>Cannot write %1: %2; nothing was changed.</source>
        <translation>%1 kann nicht geschrieben werden: %2; es wurde nichts geändert.</translation>
    </message>
    <message>
        <source>Cannot create the configuration folder %1.</source>
        <translation>Der Konfigurationsordner %1 kann nicht angelegt werden.</translation>
    </message>
    <message>
        <source>Another Relaydeck is changing the profiles right now (lock file %1). Try again in a moment.</source>
        <translation>Ein anderes Relaydeck ändert gerade die Profile (Sperrdatei %1). Versuchen Sie es gleich noch einmal.</translation>
    </message>
    <message>
        <source>Cannot create the lock file %1.</source>
        <translation>Die Sperrdatei %1 kann nicht angelegt werden.</translation>
    </message>
    <message>
        <source>A connection with the id %1 exists already.</source>
        <translation>Eine Verbindung mit der ID %1 existiert bereits.</translation>
    </message>
    <message>
        <source>The connection '%1' no longer exists.</source>
        <translation>Die Verbindung „%1“ existiert nicht mehr.</translation>
    </message>
    <message>
        <source>The connection no longer exists.</source>
        <translation>Die Verbindung existiert nicht mehr.</translation>
    </message>
    <message>
        <source>The imported connection '%1' is not valid; nothing was imported:
%2</source>
        <translation>Die importierte Verbindung „%1“ ist ungültig; es wurde nichts importiert:
%2</translation>
    </message>
    <message>
        <source>These connections exist already: %1. Nothing was imported; choose to skip, rename or replace them.</source>
        <translation>Diese Verbindungen existieren bereits: %1. Es wurde nichts importiert; wählen Sie, ob sie übersprungen, umbenannt oder ersetzt werden sollen.</translation>
    </message>
</context>
<context>
    <name>ProfileValidation</name>
    <message>
        <source>The file %1 does not exist.</source>
        <translation>Die Datei %1 existiert nicht.</translation>
    </message>
    <message>
        <source>%1 is not a file.</source>
        <translation>%1 ist keine Datei.</translation>
    </message>
    <message>
        <source>The file %1 cannot be read: %2</source>
        <translation>Die Datei %1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>Enter a name for the connection.</source>
        <translation>Geben Sie einen Namen für die Verbindung ein.</translation>
    </message>
    <message>
        <source>The name is too long (at most 100 characters).</source>
        <translation>Der Name ist zu lang (höchstens 100 Zeichen).</translation>
    </message>
    <message>
        <source>The name must not contain line breaks or control characters.</source>
        <translation>Der Name darf keine Zeilenumbrüche oder Steuerzeichen enthalten.</translation>
    </message>
    <message>
        <source>The name must not start or end with a space.</source>
        <translation>Der Name darf nicht mit einem Leerzeichen beginnen oder enden.</translation>
    </message>
    <message>
        <source>Enter the SMTP server's host name or IP address.</source>
        <translation>Geben Sie den Hostnamen oder die IP-Adresse des SMTP-Servers ein.</translation>
    </message>
    <message>
        <source>'%1' is not a valid host name or IP address.</source>
        <translation>„%1“ ist kein gültiger Hostname und keine gültige IP-Adresse.</translation>
    </message>
    <message>
        <source>The port must be between 1 and 65535 (empty: %1, the default for the chosen security).</source>
        <translation>Der Port muss zwischen 1 und 65535 liegen (leer: %1, der Standard für die gewählte Sicherheit).</translation>
    </message>
    <message>
        <source>The timeout must be between %1 and %2 seconds.</source>
        <translation>Das Zeitlimit muss zwischen %1 und %2 Sekunden liegen.</translation>
    </message>
    <message>
        <source>Enter a character set for test messages, e.g. UTF-8.</source>
        <translation>Geben Sie einen Zeichensatz für Testnachrichten ein, z. B. UTF-8.</translation>
    </message>
    <message>
        <source>'%1' is not a character set name (e.g. UTF-8, ISO-8859-1, windows-1252).</source>
        <translation>„%1“ ist kein Zeichensatzname (z. B. UTF-8, ISO-8859-1, windows-1252).</translation>
    </message>
    <message>
        <source>The user name must not contain line breaks or control characters.</source>
        <translation>Der Benutzername darf keine Zeilenumbrüche oder Steuerzeichen enthalten.</translation>
    </message>
    <message>
        <source>Enter a user name for %1 authentication, or choose no authentication.</source>
        <translation>Geben Sie einen Benutzernamen für die %1-Authentifizierung ein oder wählen Sie „Keine Authentifizierung“.</translation>
    </message>
    <message>
        <source>The Kerberos ticket is used with the mechanism auto or gssapi, not %1.</source>
        <translation>Das Kerberos-Ticket wird mit dem Mechanismus auto oder gssapi verwendet, nicht mit %1.</translation>
    </message>
    <message>
        <source>EXTERNAL authentication needs a client certificate.</source>
        <translation>EXTERNAL-Authentifizierung braucht ein Client-Zertifikat.</translation>
    </message>
    <message>
        <source>'%1' is not an environment variable name (letters, digits and _, not starting with a digit).</source>
        <translation>'%1' ist kein Name einer Umgebungsvariablen (Buchstaben, Ziffern und _, nicht mit einer Ziffer am Anfang).</translation>
    </message>
    <message>
        <source>Enter the name of the environment variable that holds the password.</source>
        <translation>Geben Sie den Namen der Umgebungsvariablen ein, die das Passwort enthält.</translation>
    </message>
    <message>
        <source>Enter the command that prints the password.</source>
        <translation>Geben Sie den Befehl ein, der das Passwort ausgibt.</translation>
    </message>
    <message>
        <source>%1 contains no PEM certificate (-----BEGIN CERTIFICATE-----).</source>
        <translation>%1 enthält kein PEM-Zertifikat (-----BEGIN CERTIFICATE-----).</translation>
    </message>
    <message>
        <source>The maximum TLS version (%1) is below the minimum (%2); no version would be left.</source>
        <translation>Die höchste TLS-Version (%1) liegt unter der niedrigsten (%2); es bliebe keine Version übrig.</translation>
    </message>
    <message>
        <source>'%1' is not a SHA-256 fingerprint: expected 64 hexadecimal digits, colons allowed.</source>
        <translation>„%1“ ist kein SHA-256-Fingerabdruck: 64 Hexadezimalziffern erwartet, Doppelpunkte erlaubt.</translation>
    </message>
    <message>
        <source>A client key needs its certificate: choose the client certificate too.</source>
        <translation>Ein Client-Schlüssel braucht sein Zertifikat: Wählen Sie auch das Client-Zertifikat.</translation>
    </message>
    <message>
        <source>%1 contains no PEM private key (-----BEGIN PRIVATE KEY-----).</source>
        <translation>%1 enthält keinen privaten PEM-Schlüssel (-----BEGIN PRIVATE KEY-----).</translation>
    </message>
    <message>
        <source>Choose the private key of the client certificate.</source>
        <translation>Wählen Sie den privaten Schlüssel des Client-Zertifikats.</translation>
    </message>
    <message>
        <source>Enter the proxy's host name or IP address.</source>
        <translation>Geben Sie den Hostnamen oder die IP-Adresse des Proxys ein.</translation>
    </message>
    <message>
        <source>Enter the proxy's port (1 to 65535).</source>
        <translation>Geben Sie den Port des Proxys ein (1 bis 65535).</translation>
    </message>
    <message>
        <source>The domain must not contain line breaks or control characters.</source>
        <translation>Die Domäne darf keine Zeilenumbrüche oder Steuerzeichen enthalten.</translation>
    </message>
    <message>
        <source>Enter the provider's %1 (an https URL).</source>
        <translation>Geben Sie die %1 des Anbieters ein (eine https-URL).</translation>
    </message>
    <message>
        <source>token URL</source>
        <translation>Token-URL</translation>
    </message>
    <message>
        <source>authorization URL</source>
        <translation>Autorisierungs-URL</translation>
    </message>
    <message>
        <source>'%1' is not usable: OAuth endpoints must be https URLs (http only for localhost or a loopback address).</source>
        <translation>'%1' ist nicht verwendbar: OAuth-Endpunkte müssen https-URLs sein (http nur für localhost oder eine Loopback-Adresse).</translation>
    </message>
    <message>
        <source>The client id must not contain spaces, line breaks or control characters.</source>
        <translation>Die Client-ID darf keine Leerzeichen, Zeilenumbrüche oder Steuerzeichen enthalten.</translation>
    </message>
    <message>
        <source>'%1' is not a tenant: use common, organizations, consumers, a tenant id or a domain.</source>
        <translation>'%1' ist kein Mandant: Verwenden Sie common, organizations, consumers, eine Mandanten-ID oder eine Domain.</translation>
    </message>
    <message>
        <source>The scope must not contain line breaks or control characters.</source>
        <translation>Der Bereich darf keine Zeilenumbrüche oder Steuerzeichen enthalten.</translation>
    </message>
    <message>
        <source>Enter the scope the SMTP server needs (e.g. the provider's mail scope and offline_access).</source>
        <translation>Geben Sie den Bereich (Scope) ein, den der SMTP-Server braucht (z. B. den Mail-Bereich des Anbieters und offline_access).</translation>
    </message>
    <message>
        <source>'%1' is not a valid option name: use 1 to 64 letters, digits, '_', '-' or '.'.</source>
        <translation>„%1“ ist kein gültiger Optionsname: Verwenden Sie 1 bis 64 Buchstaben, Ziffern, „_“, „-“ oder „.“.</translation>
    </message>
    <message>
        <source>The value of the option '%1' must not contain line breaks or control characters.</source>
        <translation>Der Wert der Option „%1“ darf keine Zeilenumbrüche oder Steuerzeichen enthalten.</translation>
    </message>
</context>
<context>
    <name>RedirectListener</name>
    <message>
        <source>Not allowed</source>
        <translation>Nicht erlaubt</translation>
    </message>
    <message>
        <source>Only the sign-in comes here.</source>
        <translation>Hierher kommt nur die Anmeldung.</translation>
    </message>
    <message>
        <source>Not found</source>
        <translation>Nicht gefunden</translation>
    </message>
    <message>
        <source>Nothing here.</source>
        <translation>Hier ist nichts.</translation>
    </message>
    <message>
        <source>Sign-in rejected</source>
        <translation>Anmeldung abgelehnt</translation>
    </message>
    <message>
        <source>This answer does not belong to the sign-in Relaydeck started (the state does not match). Nothing was signed in.</source>
        <translation>Diese Antwort gehört nicht zu der Anmeldung, die Relaydeck begonnen hat (der State stimmt nicht). Es wurde nichts angemeldet.</translation>
    </message>
    <message>
        <source>Sign-in failed</source>
        <translation>Anmeldung fehlgeschlagen</translation>
    </message>
    <message>
        <source>The provider said: %1. You can close this tab.</source>
        <translation>Der Anbieter sagte: %1. Sie können diesen Tab schließen.</translation>
    </message>
    <message>
        <source>The answer carries no authorization code.</source>
        <translation>Die Antwort enthält keinen Autorisierungscode.</translation>
    </message>
    <message>
        <source>Signed in</source>
        <translation>Angemeldet</translation>
    </message>
    <message>
        <source>Relaydeck received the sign-in. You can close this tab.</source>
        <translation>Relaydeck hat die Anmeldung erhalten. Sie können diesen Tab schließen.</translation>
    </message>
</context>
<context>
    <name>ReportFile</name>
    <message>
        <source>Text files (*.txt)</source>
        <translation>Textdateien (*.txt)</translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation>JSON-Dateien (*.json)</translation>
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
<context>
    <name>RuntimeSecretResolver</name>
    <message>
        <source>The environment variable %1 that gives the password is not set.</source>
        <translation>Die Umgebungsvariable %1, die das Passwort liefert, ist nicht gesetzt.</translation>
    </message>
    <message>
        <source>The environment variable %1 that gives the user name is not set.</source>
        <translation>Die Umgebungsvariable %1, die den Benutzernamen liefert, ist nicht gesetzt.</translation>
    </message>
    <message>
        <source>The environment variable %1 that gives the password is empty.</source>
        <translation>Die Umgebungsvariable %1, die das Passwort liefert, ist leer.</translation>
    </message>
    <message>
        <source>The environment variable %1 that gives the user name is empty.</source>
        <translation>Die Umgebungsvariable %1, die den Benutzernamen liefert, ist leer.</translation>
    </message>
    <message>
        <source>'%1' takes its password from the command %2, which came from the file: it stays disabled until you have checked it and enabled it (%3).</source>
        <translation>'%1' bezieht sein Passwort vom Befehl %2, der aus der Datei stammt: Er bleibt deaktiviert, bis Sie ihn geprüft und aktiviert haben (%3).</translation>
    </message>
    <message>
        <source>The password command %1 is disabled.</source>
        <translation>Der Passwortbefehl %1 ist deaktiviert.</translation>
    </message>
    <message>
        <source>It said: %1</source>
        <translation>Er meldete: %1</translation>
    </message>
    <message>
        <source>The password command %1 was stopped by a signal.</source>
        <translation>Der Passwortbefehl %1 wurde durch ein Signal beendet.</translation>
    </message>
    <message>
        <source>The password command %1 failed with exit status %2.</source>
        <translation>Der Passwortbefehl %1 ist mit dem Exit-Status %2 fehlgeschlagen.</translation>
    </message>
    <message>
        <source>The password command %1 printed no password on its first line.</source>
        <translation>Der Passwortbefehl %1 hat in seiner ersten Zeile kein Passwort ausgegeben.</translation>
    </message>
    <message>
        <source>The password command %1 could not be started: %2.</source>
        <translation>Der Passwortbefehl %1 konnte nicht gestartet werden: %2.</translation>
    </message>
    <message>
        <source>The password command %1 did not finish within %2 s.</source>
        <translation>Der Passwortbefehl %1 wurde nicht innerhalb von %2 s fertig.</translation>
    </message>
</context>
<context>
    <name>SaslMechanism</name>
    <message>
        <source>The server sent an empty CRAM-MD5 challenge.</source>
        <translation>Der Server hat eine leere CRAM-MD5-Challenge gesendet.</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>No Kerberos ticket could be used</source>
        <translation>Es konnte kein Kerberos-Ticket verwendet werden</translation>
    </message>
    <message>
        <source>The Kerberos ticket cannot be used</source>
        <translation>Das Kerberos-Ticket kann nicht verwendet werden</translation>
    </message>
    <message>
        <source>The Kerberos ticket of %1 has expired</source>
        <translation>Das Kerberos-Ticket von %1 ist abgelaufen</translation>
    </message>
    <message>
        <source>The service name %1 is not usable</source>
        <translation>Der Dienstname %1 ist nicht verwendbar</translation>
    </message>
    <message>
        <source>No Kerberos service ticket for %1</source>
        <translation>Kein Kerberos-Dienstticket für %1</translation>
    </message>
    <message>
        <source>The server's Kerberos reply was not accepted</source>
        <translation>Die Kerberos-Antwort des Servers wurde nicht akzeptiert</translation>
    </message>
    <message>
        <source>The server did not prove its identity (no Kerberos mutual authentication)</source>
        <translation>Der Server hat seine Identität nicht nachgewiesen (keine gegenseitige Kerberos-Authentifizierung)</translation>
    </message>
    <message>
        <source>The server's security layer offer could not be unwrapped</source>
        <translation>Das Angebot des Servers zur Sicherheitsschicht konnte nicht entpackt werden</translation>
    </message>
    <message>
        <source>The server's security layer offer has %1 octets instead of 4</source>
        <translation>Das Angebot des Servers zur Sicherheitsschicht hat %1 Oktette statt 4</translation>
    </message>
    <message>
        <source>the server requires a GSSAPI security layer; Relaydeck relies on TLS and uses none</source>
        <translation>der Server verlangt eine GSSAPI-Sicherheitsschicht; Relaydeck verlässt sich auf TLS und verwendet keine</translation>
    </message>
    <message>
        <source>The security layer answer could not be wrapped</source>
        <translation>Die Antwort zur Sicherheitsschicht konnte nicht verpackt werden</translation>
    </message>
    <message>
        <source>The server's NTLM challenge is malformed.</source>
        <translation>Die NTLM-Challenge des Servers ist fehlerhaft.</translation>
    </message>
    <message>
        <source>The server offers NTLM only with OEM code pages; Relaydeck requires Unicode.</source>
        <translation>Der Server bietet NTLM nur mit OEM-Codepages an; Relaydeck verlangt Unicode.</translation>
    </message>
    <message>
        <source>The server's NTLM challenge carries no target information, so it cannot do NTLMv2; Relaydeck does not use the insecure NTLMv1.</source>
        <translation>Die NTLM-Challenge des Servers enthält keine Zielinformationen und erlaubt daher kein NTLMv2; Relaydeck verwendet das unsichere NTLMv1 nicht.</translation>
    </message>
    <message>
        <source>The server's NTLM target information is malformed.</source>
        <translation>Die NTLM-Zielinformationen des Servers sind fehlerhaft.</translation>
    </message>
    <message>
        <source>The NTLM credentials are too long.</source>
        <translation>Die NTLM-Anmeldedaten sind zu lang.</translation>
    </message>
    <message>
        <source>The server sent an unexpected %1 challenge.</source>
        <translation>Der Server hat eine unerwartete %1-Challenge gesendet.</translation>
    </message>
    <message>
        <source>The server requires a SCRAM extension Relaydeck does not support.</source>
        <translation>Der Server verlangt eine SCRAM-Erweiterung, die Relaydeck nicht unterstützt.</translation>
    </message>
    <message>
        <source>The server reported a SCRAM error: %1</source>
        <translation>Der Server hat einen SCRAM-Fehler gemeldet: %1</translation>
    </message>
    <message>
        <source>The server's SCRAM challenge is malformed (nonce, salt or iteration count missing).</source>
        <translation>Die SCRAM-Challenge des Servers ist fehlerhaft (Nonce, Salt oder Iterationszahl fehlen).</translation>
    </message>
    <message>
        <source>The server's SCRAM nonce does not continue the client's nonce.</source>
        <translation>Die SCRAM-Nonce des Servers setzt die Nonce des Clients nicht fort.</translation>
    </message>
    <message>
        <source>The server's SCRAM salt is not valid base64.</source>
        <translation>Das SCRAM-Salt des Servers ist kein gültiges Base64.</translation>
    </message>
    <message>
        <source>The server's SCRAM iteration count is not a positive number.</source>
        <translation>Die SCRAM-Iterationszahl des Servers ist keine positive Zahl.</translation>
    </message>
    <message>
        <source>The server asks for %1 SCRAM iterations; Relaydeck computes at most %2.</source>
        <translation>Der Server verlangt %1 SCRAM-Iterationen; Relaydeck berechnet höchstens %2.</translation>
    </message>
    <message>
        <source>The server refused the SCRAM login: %1</source>
        <translation>Der Server hat die SCRAM-Anmeldung abgelehnt: %1</translation>
    </message>
    <message>
        <source>The server's final SCRAM message has no signature.</source>
        <translation>Die letzte SCRAM-Nachricht des Servers hat keine Signatur.</translation>
    </message>
    <message>
        <source>The server's SCRAM signature is wrong: the server does not know the password, or something between Relaydeck and the server is impersonating it.</source>
        <translation>Die SCRAM-Signatur des Servers ist falsch: Der Server kennt das Passwort nicht, oder etwas zwischen Relaydeck und dem Server gibt sich als dieser aus.</translation>
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
    <message>
        <source>Switch to automatic (port %1)</source>
        <translation>Zu automatisch wechseln (Port %1)</translation>
    </message>
    <message>
        <source>The server offers STARTTLS, but this connection does not use it: messages and any password travel unencrypted. Switch to STARTTLS to encrypt them.</source>
        <translation>Der Server bietet STARTTLS an, aber diese Verbindung nutzt es nicht: Nachrichten und ein etwaiges Passwort werden unverschlüsselt übertragen. Wechseln Sie zu STARTTLS, um sie zu verschlüsseln.</translation>
    </message>
</context>
<context>
    <name>SettingIdWording</name>
    <message>
        <source>No access token is stored for this connection (setting %1).</source>
        <translation>Für diese Verbindung ist kein Zugriffstoken gespeichert (Einstellung %1).</translation>
    </message>
    <message>
        <source>No password is stored for this connection (setting %1).</source>
        <translation>Für diese Verbindung ist kein Passwort gespeichert (Einstellung %1).</translation>
    </message>
</context>
<context>
    <name>SettingsDetector</name>
    <message>
        <source>'%1' is neither an email address nor a domain</source>
        <translation>„%1“ ist weder eine E-Mail-Adresse noch eine Domain</translation>
    </message>
    <message>
        <source>'%1' is not a valid email address</source>
        <translation>„%1“ ist keine gültige E-Mail-Adresse</translation>
    </message>
</context>
<context>
    <name>SmtpInputValidation</name>
    <message>
        <source>Enter an e-mail address (name@example.com).</source>
        <translation>Geben Sie eine E-Mail-Adresse ein (name@example.com).</translation>
    </message>
    <message>
        <source>An e-mail address must not contain line breaks.</source>
        <translation>Eine E-Mail-Adresse darf keine Zeilenumbrüche enthalten.</translation>
    </message>
    <message>
        <source>An e-mail address must not contain control characters.</source>
        <translation>Eine E-Mail-Adresse darf keine Steuerzeichen enthalten.</translation>
    </message>
    <message>
        <source>An e-mail address must not contain spaces.</source>
        <translation>Eine E-Mail-Adresse darf keine Leerzeichen enthalten.</translation>
    </message>
    <message>
        <source>Enter the address without angle brackets: name@example.com.</source>
        <translation>Geben Sie die Adresse ohne spitze Klammern ein: name@example.com.</translation>
    </message>
    <message>
        <source>An e-mail address is at most 254 characters long.</source>
        <translation>Eine E-Mail-Adresse ist höchstens 254 Zeichen lang.</translation>
    </message>
    <message>
        <source>'%1' is not an e-mail address: use the form name@example.com.</source>
        <translation>„%1“ ist keine E-Mail-Adresse: Verwenden Sie die Form name@example.com.</translation>
    </message>
    <message>
        <source>'%1' is not an e-mail address: the part before the @ contains '%2'.</source>
        <translation>„%1“ ist keine E-Mail-Adresse: Der Teil vor dem @ enthält „%2“.</translation>
    </message>
    <message>
        <source>'%1' is not an e-mail address: dots in the part before the @ must separate words.</source>
        <translation>„%1“ ist keine E-Mail-Adresse: Punkte im Teil vor dem @ müssen Wörter trennen.</translation>
    </message>
    <message>
        <source>'%1' is not an e-mail address: '%2' is not a valid domain.</source>
        <translation>„%1“ ist keine E-Mail-Adresse: „%2“ ist keine gültige Domain.</translation>
    </message>
    <message>
        <source>Enter a HELO name: this computer's domain name or an address literal such as [192.0.2.1].</source>
        <translation>Geben Sie einen HELO-Namen ein: den Domainnamen dieses Computers oder ein Adressliteral wie [192.0.2.1].</translation>
    </message>
    <message>
        <source>The HELO name must not contain line breaks.</source>
        <translation>Der HELO-Name darf keine Zeilenumbrüche enthalten.</translation>
    </message>
    <message>
        <source>The HELO name must not contain control characters.</source>
        <translation>Der HELO-Name darf keine Steuerzeichen enthalten.</translation>
    </message>
    <message>
        <source>'%1' is not an address literal: use [192.0.2.1] or [IPv6:2001:db8::1].</source>
        <translation>„%1“ ist kein Adressliteral: Verwenden Sie [192.0.2.1] oder [IPv6:2001:db8::1].</translation>
    </message>
    <message>
        <source>'%1' is not a valid HELO name: use a domain name (letters, digits, hyphens and dots, e.g. client.example.com) or an address literal such as [192.0.2.1].</source>
        <translation>„%1“ ist kein gültiger HELO-Name: Verwenden Sie einen Domainnamen (Buchstaben, Ziffern, Bindestriche und Punkte, z. B. client.example.com) oder ein Adressliteral wie [192.0.2.1].</translation>
    </message>
</context>
<context>
    <name>SmtpReplyParser</name>
    <message>
        <source>the server sent a line longer than %1 bytes</source>
        <translation>Der Server hat eine Zeile gesendet, die länger als %1 Bytes ist</translation>
    </message>
    <message>
        <source>the server sent a malformed reply line: %1</source>
        <translation>Der Server hat eine fehlerhafte Antwortzeile gesendet: %1</translation>
    </message>
    <message>
        <source>the server's multi-line reply mixes the codes %1 and %2</source>
        <translation>Die mehrzeilige Antwort des Servers mischt die Codes %1 und %2</translation>
    </message>
    <message>
        <source>the server sent a reply longer than %1 bytes</source>
        <translation>Der Server hat eine Antwort gesendet, die länger als %1 Bytes ist</translation>
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
    <name>TestAllOutput</name>
    <message>
        <source>Testing 1 connection…</source>
        <translation>Teste 1 Verbindung…</translation>
    </message>
    <message>
        <source>Testing %1 connections, up to %2 at a time…</source>
        <translation>Teste %1 Verbindungen, bis zu %2 gleichzeitig…</translation>
    </message>
    <message>
        <source>%1  passed in %2 ms</source>
        <translation>%1  bestanden in %2 ms</translation>
    </message>
    <message>
        <source>%1  failed at %2: %3 (%4)</source>
        <translation>%1  fehlgeschlagen bei %2: %3 (%4)</translation>
    </message>
    <message>
        <source>Server said: %1</source>
        <translation>Antwort des Servers: %1</translation>
    </message>
    <message>
        <source>Hint: %1</source>
        <translation>Hinweis: %1</translation>
    </message>
    <message>
        <source>Warning: %1</source>
        <translation>Warnung: %1</translation>
    </message>
    <message>
        <source>not tested: %1</source>
        <translation>nicht getestet: %1</translation>
    </message>
    <message>
        <source>Test all: %1 passed, %2 failed, %3 not tested.</source>
        <translation>Alle testen: %1 bestanden, %2 fehlgeschlagen, %3 nicht getestet.</translation>
    </message>
</context>
<context>
    <name>TestAllSummary</name>
    <message>
        <source>not tested</source>
        <translation>nicht getestet</translation>
    </message>
</context>
<context>
    <name>TestMessage</name>
    <message>
        <source>Relaydeck test message</source>
        <translation>Relaydeck-Testnachricht</translation>
    </message>
    <message>
        <source>This is a test message sent by Relaydeck to check an SMTP connection.
It was sent from %1 to %2. No reply is needed.
</source>
        <translation>Dies ist eine Testnachricht, die Relaydeck zum Prüfen einer SMTP-Verbindung gesendet hat.
Sie wurde von %1 an %2 gesendet. Eine Antwort ist nicht nötig.
</translation>
    </message>
</context>
<context>
    <name>TestReport</name>
    <message>
        <source>auto -&gt; implicit TLS</source>
        <translation>auto -&gt; implizites TLS</translation>
    </message>
    <message>
        <source>auto -&gt; STARTTLS</source>
        <translation>auto -&gt; STARTTLS</translation>
    </message>
    <message>
        <source>auto -&gt; none (opportunistic)</source>
        <translation>auto -&gt; keine (opportunistisch)</translation>
    </message>
    <message>
        <source>auto (not resolved)</source>
        <translation>auto (nicht entschieden)</translation>
    </message>
</context>
<context>
    <name>TestReportText</name>
    <message>
        <source>The TLS library reported an error.</source>
        <translation>Die TLS-Bibliothek hat einen Fehler gemeldet.</translation>
    </message>
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
        <source>TLS %1 cannot be allowed with this system's TLS back end (%2): only the OpenSSL back end can offer it.</source>
        <translation>TLS %1 kann mit dem TLS-Backend dieses Systems (%2) nicht erlaubt werden: Nur das OpenSSL-Backend bietet es an.</translation>
    </message>
    <message>
        <source>TLS %1 is not available in this system's TLS library (%2): it was built without it.</source>
        <translation>TLS %1 ist in der TLS-Bibliothek dieses Systems (%2) nicht verfügbar: Sie wurde ohne es gebaut.</translation>
    </message>
    <message>
        <source>cannot read the CA file %1: %2</source>
        <translation>Die CA-Datei %1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>the CA file %1 holds no PEM certificate</source>
        <translation>Die CA-Datei %1 enthält kein PEM-Zertifikat</translation>
    </message>
    <message>
        <source>cannot read the client certificate or its key</source>
        <translation>Das Client-Zertifikat oder sein Schlüssel kann nicht gelesen werden</translation>
    </message>
    <message>
        <source>the client certificate or its key is not readable PEM (or the key's passphrase is wrong)</source>
        <translation>Das Client-Zertifikat oder sein Schlüssel ist kein lesbares PEM (oder die Passphrase des Schlüssels ist falsch)</translation>
    </message>
    <message>
        <source>the certificate's SHA-256 fingerprint is not the pinned one</source>
        <translation>Der SHA-256-Fingerabdruck des Zertifikats ist nicht der hinterlegte</translation>
    </message>
</context>
<context>
    <name>TokenEndpoint</name>
    <message>
        <source>The device authorization endpoint answered HTTP %1 without a device code.</source>
        <translation>Der Endpunkt für die Geräteautorisierung antwortete mit HTTP %1 ohne Gerätecode.</translation>
    </message>
    <message>
        <source>This provider has no device authorization endpoint: set one or sign in with the browser.</source>
        <translation>Dieser Anbieter hat keinen Endpunkt für die Geräteautorisierung: Geben Sie einen an oder melden Sie sich mit dem Browser an.</translation>
    </message>
    <message>
        <source>'%1' is not used: OAuth endpoints must be https (http only on this machine).</source>
        <translation>'%1' wird nicht verwendet: OAuth-Endpunkte müssen https sein (http nur auf diesem Rechner).</translation>
    </message>
    <message>
        <source>The request to %1 failed: %2</source>
        <translation>Die Anfrage an %1 ist fehlgeschlagen: %2</translation>
    </message>
</context>
<context>
    <name>TokenResponse</name>
    <message>
        <source>The token endpoint answered HTTP %1 without a JSON object.</source>
        <translation>Der Token-Endpunkt antwortete mit HTTP %1 ohne JSON-Objekt.</translation>
    </message>
    <message>
        <source>The token endpoint answered HTTP %1.</source>
        <translation>Der Token-Endpunkt antwortete mit HTTP %1.</translation>
    </message>
    <message>
        <source>The token endpoint sent no access_token.</source>
        <translation>Der Token-Endpunkt hat kein access_token gesendet.</translation>
    </message>
    <message>
        <source>The token endpoint sent a '%1' token; SMTP needs a Bearer token.</source>
        <translation>Der Token-Endpunkt hat ein '%1'-Token gesendet; SMTP braucht ein Bearer-Token.</translation>
    </message>
</context>
<context>
    <name>TrustedIssuerFile</name>
    <message>
        <source>The CA file %1 cannot be written: %2</source>
        <translation>Die CA-Datei %1 kann nicht geschrieben werden: %2</translation>
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
        <source>--proxy: expected none, system, socks5://[user@]host:port or http://[user@]host:port, not '%1'</source>
        <translation>--proxy: none, system, socks5://[user@]host:port oder http://[user@]host:port erwartet, nicht „%1“</translation>
    </message>
    <message>
        <source>--proxy: a password never goes on the command line; give it with --proxy-password-env VAR</source>
        <translation>--proxy: Ein Passwort gehört nie auf die Kommandozeile; übergeben Sie es mit --proxy-password-env VAR</translation>
    </message>
    <message>
        <source>%1: the environment variable %2 is not set</source>
        <translation>%1: Die Umgebungsvariable %2 ist nicht gesetzt</translation>
    </message>
    <message>
        <source>%1: the environment variable %2 is empty</source>
        <translation>%1: Die Umgebungsvariable %2 ist leer</translation>
    </message>
    <message>
        <source>%1 exclude each other</source>
        <translation>%1 schließen einander aus</translation>
    </message>
    <message>
        <source>--enable-password-command and --disable-password-command exclude each other</source>
        <translation>--enable-password-command und --disable-password-command schließen einander aus</translation>
    </message>
    <message>
        <source>--password-command: a quote is not closed in '%1'</source>
        <translation>--password-command: In '%1' ist ein Anführungszeichen nicht geschlossen</translation>
    </message>
    <message>
        <source>%1: the connection takes no password from a command</source>
        <translation>%1: Die Verbindung bezieht ihr Passwort nicht von einem Befehl</translation>
    </message>
    <message>
        <source>SMTP server host name or IP address.</source>
        <translation>Hostname oder IP-Adresse des SMTP-Servers.</translation>
    </message>
    <message>
        <source>Port (default: 587 STARTTLS, 465 TLS, 25 none, 587 auto; 0 restores the default).</source>
        <translation>Port (Standard: 587 STARTTLS, 465 TLS, 25 none, 587 auto; 0 stellt den Standard wieder her).</translation>
    </message>
    <message>
        <source>none, starttls, tls (implicit TLS) or auto (implicit TLS on port 465, else STARTTLS; unencrypted with a warning only towards a loopback host or on port 25 when STARTTLS is not offered).</source>
        <translation>none, starttls, tls (implizites TLS) oder auto (implizites TLS auf Port 465, sonst STARTTLS; unverschlüsselt mit einer Warnung nur gegenüber einem Loopback-Host oder auf Port 25, wenn STARTTLS nicht angeboten wird).</translation>
    </message>
    <message>
        <source>Mechanism: %1.</source>
        <translation>Verfahren: %1.</translation>
    </message>
    <message>
        <source>User name (empty: no authentication).</source>
        <translation>Benutzername (leer: keine Authentifizierung).</translation>
    </message>
    <message>
        <source>Read the password (or OAuth2 token) from standard input.</source>
        <translation>Das Passwort (oder OAuth2-Token) von der Standardeingabe lesen.</translation>
    </message>
    <message>
        <source>Take the password (or OAuth2 token) from the environment variable VAR.</source>
        <translation>Das Passwort (oder OAuth2-Token) aus der Umgebungsvariablen VAR nehmen.</translation>
    </message>
    <message>
        <source>Read the password from the environment variable VAR each time a test runs (the variable's name is stored, not the password).</source>
        <translation>Das Passwort bei jedem Test aus der Umgebungsvariablen VAR lesen (gespeichert wird der Name der Variablen, nicht das Passwort).</translation>
    </message>
    <message>
        <source>Run CMD (a program and its arguments, without a shell) each time a test runs; its first output line is the password.</source>
        <translation>CMD (ein Programm mit seinen Argumenten, ohne Shell) bei jedem Test ausführen; seine erste Ausgabezeile ist das Passwort.</translation>
    </message>
    <message>
        <source>Take the password from the keychain again (the default).</source>
        <translation>Das Passwort wieder aus dem Schlüsselbund nehmen (Standard).</translation>
    </message>
    <message>
        <source>Allow the connection's password command to run (an imported command stays disabled until then).</source>
        <translation>Den Passwortbefehl der Verbindung ausführen lassen (ein importierter Befehl bleibt bis dahin deaktiviert).</translation>
    </message>
    <message>
        <source>Stop the connection's password command from running.</source>
        <translation>Den Passwortbefehl der Verbindung nicht mehr ausführen.</translation>
    </message>
    <message>
        <source>Read the user name from the environment variable VAR each time a test runs (empty: use --user again).</source>
        <translation>Den Benutzernamen bei jedem Test aus der Umgebungsvariablen VAR lesen (leer: wieder --user verwenden).</translation>
    </message>
    <message>
        <source>Also trust the CA certificates in this PEM file (empty: none).</source>
        <translation>Zusätzlich den CA-Zertifikaten in dieser PEM-Datei vertrauen (leer: keine).</translation>
    </message>
    <message>
        <source>Accept the server certificate with this SHA-256 (hex, colons allowed); repeatable; replaces the stored pins (empty: remove them).</source>
        <translation>Das Server-Zertifikat mit diesem SHA-256 akzeptieren (hexadezimal, Doppelpunkte erlaubt); wiederholbar; ersetzt die gespeicherten (leer: entfernt sie).</translation>
    </message>
    <message>
        <source>Do not verify the server certificate (insecure).</source>
        <translation>Das Server-Zertifikat nicht prüfen (unsicher).</translation>
    </message>
    <message>
        <source>Verify the server certificate again (the default).</source>
        <translation>Das Server-Zertifikat wieder prüfen (Standard).</translation>
    </message>
    <message>
        <source>Minimum TLS version: 1.2 (the default) or 1.3; 1.0 or 1.1 only for a legacy server (obsolete and insecure: every report warns).</source>
        <translation>Mindest-TLS-Version: 1.2 (Standard) oder 1.3; 1.0 oder 1.1 nur für einen Altserver (veraltet und unsicher: jeder Bericht warnt).</translation>
    </message>
    <message>
        <source>Maximum TLS version: 1.0 to 1.3 (1.2 for a server whose TLS 1.3 is broken), or 'any' for the newest there is (the default).</source>
        <translation>Höchste TLS-Version: 1.0 bis 1.3 (1.2 für einen Server, dessen TLS 1.3 defekt ist) oder „any“ für die neueste verfügbare (Standard).</translation>
    </message>
    <message>
        <source>Client certificate (PEM) for TLS (empty: none).</source>
        <translation>Client-Zertifikat (PEM) für TLS (leer: keines).</translation>
    </message>
    <message>
        <source>Private key (PEM) of the client certificate.</source>
        <translation>Privater Schlüssel (PEM) des Client-Zertifikats.</translation>
    </message>
    <message>
        <source>Take the client key's passphrase from the environment variable VAR.</source>
        <translation>Die Passphrase des Client-Schlüssels aus der Umgebungsvariablen VAR nehmen.</translation>
    </message>
    <message>
        <source>EHLO/HELO name (default: this machine's name).</source>
        <translation>EHLO/HELO-Name (Standard: Name dieses Rechners).</translation>
    </message>
    <message>
        <source>Timeout in seconds (1-600).</source>
        <translation>Zeitlimit in Sekunden (1–600).</translation>
    </message>
    <message>
        <source>Sender address for test messages.</source>
        <translation>Absenderadresse für Testnachrichten.</translation>
    </message>
    <message>
        <source>Character set of test messages (default UTF-8).</source>
        <translation>Zeichensatz der Testnachrichten (Standard UTF-8).</translation>
    </message>
    <message>
        <source>A description of the connection.</source>
        <translation>Eine Beschreibung der Verbindung.</translation>
    </message>
    <message>
        <source>none, system, socks5://[user@]host:port or http://[user@]host:port.</source>
        <translation>none, system, socks5://[user@]host:port oder http://[user@]host:port.</translation>
    </message>
    <message>
        <source>Domain for the proxy credentials.</source>
        <translation>Domäne für die Proxy-Anmeldedaten.</translation>
    </message>
    <message>
        <source>Take the proxy password from the environment variable VAR.</source>
        <translation>Das Proxy-Passwort aus der Umgebungsvariablen VAR nehmen.</translation>
    </message>
    <message>
        <source>Allow credentials over an unencrypted connection.</source>
        <translation>Anmeldedaten über eine unverschlüsselte Verbindung erlauben.</translation>
    </message>
    <message>
        <source>Log on with your Kerberos ticket (GSSAPI; no password; get one with kinit).</source>
        <translation>Mit Ihrem Kerberos-Ticket anmelden (GSSAPI; kein Passwort; ein Ticket erhalten Sie mit kinit).</translation>
    </message>
    <message>
        <source>Log on with a password again, not the Kerberos ticket (the default).</source>
        <translation>Wieder mit einem Passwort anmelden, nicht mit dem Kerberos-Ticket (Standard).</translation>
    </message>
    <message>
        <source>OAuth sign-in provider: microsoft, google, custom or none.</source>
        <translation>OAuth-Anbieter für die Anmeldung: microsoft, google, custom oder none.</translation>
    </message>
    <message>
        <source>Client id of your OAuth app registration.</source>
        <translation>Client-ID Ihrer OAuth-App-Registrierung.</translation>
    </message>
    <message>
        <source>Microsoft tenant: organizations, common, consumers or a tenant id.</source>
        <translation>Microsoft-Mandant: organizations, common, consumers oder eine Mandanten-ID.</translation>
    </message>
    <message>
        <source>OAuth authorization endpoint (https).</source>
        <translation>OAuth-Autorisierungsendpunkt (https).</translation>
    </message>
    <message>
        <source>OAuth token endpoint (https).</source>
        <translation>OAuth-Token-Endpunkt (https).</translation>
    </message>
    <message>
        <source>OAuth device authorization endpoint (https).</source>
        <translation>OAuth-Endpunkt für die Geräteautorisierung (https).</translation>
    </message>
    <message>
        <source>OAuth scopes, separated by spaces.</source>
        <translation>OAuth-Bereiche (Scopes), durch Leerzeichen getrennt.</translation>
    </message>
    <message>
        <source>Read the OAuth client secret from standard input.</source>
        <translation>Das OAuth-Client-Geheimnis von der Standardeingabe lesen.</translation>
    </message>
    <message>
        <source>Take the OAuth client secret from the environment variable VAR.</source>
        <translation>Das OAuth-Client-Geheimnis aus der Umgebungsvariable VAR nehmen.</translation>
    </message>
    <message>
        <source>Set a free option (e.g. restart_threshold=100); KEY= removes it; repeatable.</source>
        <translation>Eine freie Option setzen (z. B. restart_threshold=100); KEY= entfernt sie; wiederholbar.</translation>
    </message>
    <message>
        <source>--security: expected none, starttls, tls or auto, not '%1'</source>
        <translation>--security: none, starttls, tls oder auto erwartet, nicht „%1“</translation>
    </message>
    <message>
        <source>--port: expected a number from 1 to 65535, not '%1'</source>
        <translation>--port: eine Zahl von 1 bis 65535 erwartet, nicht „%1“</translation>
    </message>
    <message>
        <source>--auth: unknown mechanism '%1' (expected %2)</source>
        <translation>--auth: unbekanntes Verfahren „%1“ (erwartet: %2)</translation>
    </message>
    <message>
        <source>--kerberos and --no-kerberos exclude each other</source>
        <translation>--kerberos und --no-kerberos schließen einander aus</translation>
    </message>
    <message>
        <source>--pin: '%1' is not a SHA-256 fingerprint (64 hex digits, colons allowed)</source>
        <translation>--pin: „%1“ ist kein SHA-256-Fingerabdruck (64 Hexadezimalziffern, Doppelpunkte erlaubt)</translation>
    </message>
    <message>
        <source>--verify and --no-verify exclude each other</source>
        <translation>--verify und --no-verify schließen einander aus</translation>
    </message>
    <message>
        <source>--tls-min: expected 1.0, 1.1, 1.2 or 1.3, not '%1'</source>
        <translation>--tls-min: 1.0, 1.1, 1.2 oder 1.3 erwartet, nicht „%1“</translation>
    </message>
    <message>
        <source>--tls-max: expected 1.0, 1.1, 1.2, 1.3 or any, not '%1'</source>
        <translation>--tls-max: 1.0, 1.1, 1.2, 1.3 oder any erwartet, nicht „%1“</translation>
    </message>
    <message>
        <source>--timeout: expected a number of seconds, not '%1'</source>
        <translation>--timeout: eine Anzahl Sekunden erwartet, nicht „%1“</translation>
    </message>
    <message>
        <source>--oauth-provider: expected microsoft, google, custom or none, not '%1'</source>
        <translation>--oauth-provider: erwartet microsoft, google, custom oder none, nicht '%1'</translation>
    </message>
    <message>
        <source>--option: expected KEY=VALUE, not '%1'</source>
        <translation>--option: KEY=VALUE erwartet, nicht „%1“</translation>
    </message>
    <message>
        <source>--password-stdin and --password-env exclude each other</source>
        <translation>--password-stdin und --password-env schließen einander aus</translation>
    </message>
    <message>
        <source>--oauth-client-secret-stdin goes without --password-stdin and --oauth-client-secret-env</source>
        <translation>--oauth-client-secret-stdin geht nicht zusammen mit --password-stdin und --oauth-client-secret-env</translation>
    </message>
    <message>
        <source>--oauth-client-secret-stdin: cannot read standard input</source>
        <translation>--oauth-client-secret-stdin: Die Standardeingabe kann nicht gelesen werden</translation>
    </message>
    <message>
        <source>--oauth-client-secret-stdin: standard input was empty</source>
        <translation>--oauth-client-secret-stdin: Die Standardeingabe war leer</translation>
    </message>
    <message>
        <source>--password-stdin: cannot read standard input</source>
        <translation>--password-stdin: Die Standardeingabe kann nicht gelesen werden</translation>
    </message>
    <message>
        <source>--password-stdin: standard input was empty</source>
        <translation>--password-stdin: Die Standardeingabe war leer</translation>
    </message>
    <message>
        <source>the connection reads its password when a test runs (from an environment variable or a command), so a password in the keychain would not be used; add --password-from-keychain to keep it there</source>
        <translation>die Verbindung liest ihr Passwort beim Test (aus einer Umgebungsvariablen oder einem Befehl), ein Passwort im Schlüsselbund würde also nicht verwendet; fügen Sie --password-from-keychain hinzu, um es dort abzulegen</translation>
    </message>
    <message>
        <source>List the stored connections.</source>
        <translation>Die gespeicherten Verbindungen auflisten.</translation>
    </message>
    <message>
        <source>Print an array of profile objects, exactly as in connections.json.</source>
        <translation>Ein Array von Profilobjekten ausgeben, genau wie in connections.json.</translation>
    </message>
    <message>
        <source>No connections yet in %1. Create one with 'add NAME --host H' or from a preset ('presets' lists them).</source>
        <translation>Noch keine Verbindungen in %1. Legen Sie eine mit „add NAME --host H“ oder aus einer Vorlage an („presets“ listet sie auf).</translation>
    </message>
    <message>
        <source>NAME</source>
        <translation>NAME</translation>
    </message>
    <message>
        <source>SERVER</source>
        <translation>SERVER</translation>
    </message>
    <message>
        <source>SECURITY</source>
        <translation>SICHERHEIT</translation>
    </message>
    <message>
        <source>USER</source>
        <translation>BENUTZER</translation>
    </message>
    <message>
        <source>PROXY</source>
        <translation>PROXY</translation>
    </message>
    <message>
        <source>PASSWORD</source>
        <translation>PASSWORT</translation>
    </message>
    <message>
        <source>OAuth sign-in</source>
        <translation>OAuth-Anmeldung</translation>
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
        <source>auto (port %1: implicit TLS)</source>
        <translation>auto (Port %1: implizites TLS)</translation>
    </message>
    <message>
        <source>auto (port %1: STARTTLS when offered, else unencrypted with a warning)</source>
        <translation>auto (Port %1: STARTTLS, wenn angeboten, sonst unverschlüsselt mit einer Warnung)</translation>
    </message>
    <message>
        <source>auto (STARTTLS, required unless the host is loopback)</source>
        <translation>auto (STARTTLS, verpflichtend, außer der Host ist Loopback)</translation>
    </message>
</context>
<context>
    <name>relaydeck::ConnectionRace</name>
    <message>
        <source>the connection was closed before it was established</source>
        <translation>die Verbindung wurde geschlossen, bevor sie zustande kam</translation>
    </message>
    <message>
        <source>%1 answered first</source>
        <translation>%1 hat zuerst geantwortet</translation>
    </message>
</context>
<context>
    <name>relaydeck::ConnectionTest</name>
    <message>
        <source>logging on as %1</source>
        <translation>Anmeldung als %1</translation>
    </message>
    <message>
        <source>service ticket for %1</source>
        <translation>Dienstticket für %1</translation>
    </message>
    <message>
        <source>the server does not offer authentication (no AUTH in its EHLO reply)</source>
        <translation>Der Server bietet keine Authentifizierung an (kein AUTH in seiner EHLO-Antwort)</translation>
    </message>
    <message>
        <source>no mechanism in common: the server offers %1</source>
        <translation>Kein gemeinsames Verfahren: Der Server bietet %1 an</translation>
    </message>
    <message>
        <source>the server does not offer %1; it offers %2</source>
        <translation>Der Server bietet %1 nicht an; er bietet %2 an</translation>
    </message>
    <message>
        <source>Relaydeck cannot use the mechanism %1</source>
        <translation>Relaydeck kann das Verfahren %1 nicht verwenden</translation>
    </message>
    <message>
        <source>the server sent more than %1 authentication challenges</source>
        <translation>Der Server hat mehr als %1 Authentifizierungs-Challenges gesendet</translation>
    </message>
    <message>
        <source>the server's authentication challenge is not base64</source>
        <translation>Die Authentifizierungs-Challenge des Servers ist kein Base64</translation>
    </message>
    <message>
        <source>Relaydeck does not complete %1 with this server: %2</source>
        <translation>Relaydeck schließt %1 mit diesem Server nicht ab: %2</translation>
    </message>
    <message>
        <source>the server accepted the login but did not prove it knows the password (%1 server signature missing)</source>
        <translation>Der Server hat die Anmeldung angenommen, aber nicht bewiesen, dass er das Passwort kennt (%1-Serversignatur fehlt)</translation>
    </message>
    <message>
        <source>%1 accepted</source>
        <translation>%1 angenommen</translation>
    </message>
    <message>
        <source>%1 accepted: %2 with a service ticket for %3</source>
        <translation>%1 akzeptiert: %2 mit einem Dienstticket für %3</translation>
    </message>
    <message>
        <source>the server refused the mechanism %1: %2</source>
        <translation>Der Server hat das Verfahren %1 abgelehnt: %2</translation>
    </message>
    <message>
        <source>the server refused the login: %1</source>
        <translation>Der Server hat die Anmeldung abgelehnt: %1</translation>
    </message>
    <message>
        <source>the server refused the login: %1 (it explained: %2)</source>
        <translation>Der Server hat die Anmeldung abgelehnt: %1 (Begründung: %2)</translation>
    </message>
    <message>
        <source>no SMTP host is set</source>
        <translation>Es ist kein SMTP-Host gesetzt</translation>
    </message>
    <message>
        <source>HELO name: %1</source>
        <translation>HELO-Name: %1</translation>
    </message>
    <message>
        <source>recipient: %1</source>
        <translation>Empfänger: %1</translation>
    </message>
    <message>
        <source>a test message needs a sender address: set the connection's sender (%1)</source>
        <translation>Eine Testnachricht braucht eine Absenderadresse: Setzen Sie den Absender der Verbindung (%1)</translation>
    </message>
    <message>
        <source>sender: %1</source>
        <translation>Absender: %1</translation>
    </message>
    <message>
        <source>resolved by the proxy</source>
        <translation>vom Proxy aufgelöst</translation>
    </message>
    <message>
        <source>cannot resolve %1: %2</source>
        <translation>%1 kann nicht aufgelöst werden: %2</translation>
    </message>
    <message>
        <source>%1 did not answer within %2 ms and was abandoned</source>
        <translation>%1 hat nicht innerhalb von %2 ms geantwortet und wurde aufgegeben</translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation>%1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>%1 did not answer</source>
        <translation>%1 hat nicht geantwortet</translation>
    </message>
    <message>
        <source>%1 was still connecting</source>
        <translation>%1 war noch beim Verbindungsaufbau</translation>
    </message>
    <message>
        <source>%1 (also tried: %2)</source>
        <translation>%1 (ebenfalls versucht: %2)</translation>
    </message>
    <message>
        <source>the server sent no greeting within %1 s, but the port completed a TLS handshake on a second connection: it expects implicit TLS</source>
        <translation>der Server hat innerhalb von %1 s keine Begrüßung gesendet, aber der Port hat auf einer zweiten Verbindung einen TLS-Handshake abgeschlossen: Er erwartet implizites TLS</translation>
    </message>
    <message>
        <source>%1 is obsolete and insecure (RFC 8996): this connection allows it for a legacy server; have the server updated</source>
        <translation>%1 ist veraltet und unsicher (RFC 8996): Diese Verbindung erlaubt es für einen Altserver; lassen Sie den Server aktualisieren</translation>
    </message>
    <message>
        <source>%1 %2 (obsolete, insecure)</source>
        <translation>%1 %2 (veraltet, unsicher)</translation>
    </message>
    <message>
        <source>the server's certificate is not the pinned one</source>
        <translation>Das Zertifikat des Servers ist nicht das hinterlegte</translation>
    </message>
    <message>
        <source>the server's certificate has expired or is not yet valid: %1</source>
        <translation>Das Zertifikat des Servers ist abgelaufen oder noch nicht gültig: %1</translation>
    </message>
    <message>
        <source>the server's certificate is not valid for %1: %2</source>
        <translation>Das Zertifikat des Servers ist nicht für %1 gültig: %2</translation>
    </message>
    <message>
        <source>the server's certificate is not trusted: %1</source>
        <translation>Dem Zertifikat des Servers wird nicht vertraut: %1</translation>
    </message>
    <message>
        <source>the proxy refused the credentials: %1</source>
        <translation>Der Proxy hat die Anmeldedaten abgelehnt: %1</translation>
    </message>
    <message>
        <source>the proxy failed: %1</source>
        <translation>Der Proxy ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>the TLS handshake failed: %1</source>
        <translation>Der TLS-Handshake ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>the connection failed: %1</source>
        <translation>Die Verbindung ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>%1 refused the connection on port %2</source>
        <translation>%1 hat die Verbindung auf Port %2 abgelehnt</translation>
    </message>
    <message>
        <source>cannot reach %1: %2</source>
        <translation>%1 ist nicht erreichbar: %2</translation>
    </message>
    <message>
        <source>no connection to %1 port %2 within %3 s</source>
        <translation>Keine Verbindung zu %1 Port %2 innerhalb von %3 s</translation>
    </message>
    <message>
        <source>the server closed the connection before replying</source>
        <translation>Der Server hat die Verbindung vor einer Antwort geschlossen</translation>
    </message>
    <message>
        <source>the server closed the connection during the TLS handshake</source>
        <translation>Der Server hat die Verbindung während des TLS-Handshakes geschlossen</translation>
    </message>
    <message>
        <source>the server closed the connection</source>
        <translation>Der Server hat die Verbindung geschlossen</translation>
    </message>
    <message>
        <source>no reply to QUIT</source>
        <translation>Keine Antwort auf QUIT</translation>
    </message>
    <message>
        <source>the TLS handshake did not finish within %1 s</source>
        <translation>Der TLS-Handshake wurde nicht innerhalb von %1 s abgeschlossen</translation>
    </message>
    <message>
        <source>the server sent no greeting within %1 s</source>
        <translation>Der Server hat innerhalb von %1 s keine Begrüßung gesendet</translation>
    </message>
    <message>
        <source>no reply from the server within %1 s</source>
        <translation>Keine Antwort vom Server innerhalb von %1 s</translation>
    </message>
    <message>
        <source>the server sent a reply nobody asked for: %1</source>
        <translation>Der Server hat eine Antwort gesendet, nach der niemand gefragt hat: %1</translation>
    </message>
    <message>
        <source>the server refused the session: %1</source>
        <translation>Der Server hat die Sitzung abgelehnt: %1</translation>
    </message>
    <message>
        <source>the server refused EHLO: %1</source>
        <translation>Der Server hat EHLO abgelehnt: %1</translation>
    </message>
    <message>
        <source>the server refused HELO: %1</source>
        <translation>Der Server hat HELO abgelehnt: %1</translation>
    </message>
    <message>
        <source>HELO (the server offers no extensions)</source>
        <translation>HELO (der Server bietet keine Erweiterungen an)</translation>
    </message>
    <message>
        <source>the server does not offer STARTTLS; security auto requires it towards %1 on port %2 (only a loopback host or port 25 may go on unencrypted)</source>
        <translation>der Server bietet kein STARTTLS an; die Sicherheit „auto“ verlangt es gegenüber %1 auf Port %2 (nur ein Loopback-Host oder Port 25 darf unverschlüsselt weitermachen)</translation>
    </message>
    <message>
        <source>the server does not offer STARTTLS; Relaydeck never falls back to plaintext</source>
        <translation>Der Server bietet kein STARTTLS an; Relaydeck fällt nie auf Klartext zurück</translation>
    </message>
    <message>
        <source>the server does not offer STARTTLS on port %1</source>
        <translation>der Server bietet auf Port %1 kein STARTTLS an</translation>
    </message>
    <message>
        <source>the server (a loopback host) does not offer STARTTLS</source>
        <translation>der Server (ein Loopback-Host) bietet kein STARTTLS an</translation>
    </message>
    <message>
        <source>encryption: none (opportunistic): %1, so security auto went on unencrypted; credentials, sender and recipients are sent this way only to a loopback host</source>
        <translation>Verschlüsselung: keine (opportunistisch): %1, daher hat die Sicherheit „auto“ unverschlüsselt weitergemacht; Zugangsdaten, Absender und Empfänger werden so nur an einen Loopback-Host gesendet</translation>
    </message>
    <message>
        <source>the server refused STARTTLS: %1</source>
        <translation>Der Server hat STARTTLS abgelehnt: %1</translation>
    </message>
    <message>
        <source>the server sent data after its 220 reply to STARTTLS, before the TLS handshake: possible command injection, connection dropped</source>
        <translation>Der Server hat nach seiner 220-Antwort auf STARTTLS noch vor dem TLS-Handshake Daten gesendet: möglicherweise eingeschleuste Befehle, Verbindung getrennt</translation>
    </message>
    <message>
        <source>refusing to send credentials over an unencrypted connection to %1</source>
        <translation>Anmeldedaten werden nicht über eine unverschlüsselte Verbindung zu %1 gesendet</translation>
    </message>
    <message>
        <source>refusing to send the sender and recipient over an unencrypted connection to %1</source>
        <translation>Absender und Empfänger werden nicht über eine unverschlüsselte Verbindung zu %1 gesendet</translation>
    </message>
    <message>
        <source>Relaydeck test message (%1)</source>
        <translation>Relaydeck-Testnachricht (%1)</translation>
    </message>
    <message>
        <source>This message was sent by Relaydeck to test the SMTP connection %1 (%2 port %3).</source>
        <translation>Diese Nachricht hat Relaydeck gesendet, um die SMTP-Verbindung %1 (%2 Port %3) zu testen.</translation>
    </message>
    <message>
        <source>the test did not finish within its overall deadline of %1 s</source>
        <translation>Der Test wurde nicht innerhalb seiner Gesamtfrist von %1 s abgeschlossen</translation>
    </message>
    <message>
        <source>the test was cancelled</source>
        <translation>Der Test wurde abgebrochen</translation>
    </message>
    <message>
        <source>the test message (%1 bytes) is larger than the server's limit of %2 bytes</source>
        <translation>Die Testnachricht (%1 Bytes) ist größer als die Grenze des Servers von %2 Bytes</translation>
    </message>
    <message>
        <source>the server refused the message as too large: %1</source>
        <translation>Der Server hat die Nachricht als zu groß abgelehnt: %1</translation>
    </message>
    <message>
        <source>the server refused the message: %1</source>
        <translation>Der Server hat die Nachricht abgelehnt: %1</translation>
    </message>
    <message>
        <source>the server refused the sender %1: %2</source>
        <translation>Der Server hat den Absender %1 abgelehnt: %2</translation>
    </message>
    <message>
        <source>the server refused the sender %1 in its answer to RCPT TO: %2</source>
        <translation>Der Server hat den Absender %1 in seiner Antwort auf RCPT TO abgelehnt: %2</translation>
    </message>
    <message>
        <source>the server refused the recipient %1: %2</source>
        <translation>Der Server hat den Empfänger %1 abgelehnt: %2</translation>
    </message>
    <message>
        <source>the server refused DATA: %1</source>
        <translation>Der Server hat DATA abgelehnt: %1</translation>
    </message>
</context>
<context>
    <name>relaydeck::ProfileTestBatch</name>
    <message>
        <source>Test all was cancelled.</source>
        <translation>„Alle testen“ wurde abgebrochen.</translation>
    </message>
</context>
<context>
    <name>relaydeck::SmtpSession</name>
    <message>
        <source>the SMTP server's host name contains characters a host name cannot have (line breaks, blanks or control characters); nothing was sent to the proxy</source>
        <translation>der Hostname des SMTP-Servers enthält Zeichen, die ein Hostname nicht haben kann (Zeilenumbrüche, Leerzeichen oder Steuerzeichen); an den Proxy wurde nichts gesendet</translation>
    </message>
    <message>
        <source>the proxy sent data after establishing the tunnel, before the TLS handshake</source>
        <translation>Der Proxy hat nach dem Aufbau des Tunnels noch vor dem TLS-Handshake Daten gesendet</translation>
    </message>
    <message>
        <source>the proxy's answer to CONNECT is not a valid HTTP response</source>
        <translation>Die Antwort des Proxys auf CONNECT ist keine gültige HTTP-Antwort</translation>
    </message>
    <message>
        <source>the proxy refused the credentials (%1)</source>
        <translation>Der Proxy hat die Anmeldedaten abgelehnt (%1)</translation>
    </message>
    <message>
        <source>the proxy refused to connect to %1 port %2 (%3)</source>
        <translation>Der Proxy hat die Verbindung zu %1 Port %2 abgelehnt (%3)</translation>
    </message>
</context>
<context>
    <name>relaydeck::cli::AddCommand</name>
    <message>
        <source>Add a connection, optionally from a provider preset.</source>
        <translation>Eine Verbindung hinzufügen, optional aus der Vorlage eines Anbieters.</translation>
    </message>
    <message>
        <source>The new connection's name (unique, any case).</source>
        <translation>Der Name der neuen Verbindung (eindeutig, Groß-/Kleinschreibung egal).</translation>
    </message>
    <message>
        <source>Start from this preset (see 'presets').</source>
        <translation>Mit dieser Vorlage beginnen (siehe „presets“).</translation>
    </message>
    <message>
        <source>Region for presets that have regions (Amazon SES).</source>
        <translation>Region für Vorlagen mit Regionen (Amazon SES).</translation>
    </message>
    <message>
        <source>--region needs --preset (e.g. --preset ses --region eu-west-1)</source>
        <translation>--region braucht --preset (z. B. --preset ses --region eu-west-1)</translation>
    </message>
    <message>
        <source>a password was given but no user name: add --user</source>
        <translation>Ein Passwort wurde angegeben, aber kein Benutzername: Ergänzen Sie --user</translation>
    </message>
    <message>
        <source>the connection was not added:
%1</source>
        <translation>Die Verbindung wurde nicht hinzugefügt:
%1</translation>
    </message>
    <message>
        <source>The connection '%1' was not added.</source>
        <translation>Die Verbindung „%1“ wurde nicht hinzugefügt.</translation>
    </message>
    <message>
        <source>Added '%1' (%2:%3, %4).</source>
        <translation>„%1“ hinzugefügt (%2:%3, %4).</translation>
    </message>
    <message>
        <source>Note: %1</source>
        <translation>Hinweis: %1</translation>
    </message>
</context>
<context>
    <name>relaydeck::cli::Command</name>
    <message>
        <source>Keep connections.json in DIR (default: $RELAYDECK_CONFIG_DIR, else the platform's config folder).</source>
        <translation>connections.json in DIR ablegen (Standard: $RELAYDECK_CONFIG_DIR, sonst der Konfigurationsordner der Plattform).</translation>
    </message>
    <message>
        <source>Usage: %1 [--config-dir DIR] %2 %3</source>
        <translation>Aufruf: %1 [--config-dir DIR] %2 %3</translation>
    </message>
    <message>
        <source>Try '%1 --help'.</source>
        <translation>Siehe „%1 --help“.</translation>
    </message>
    <message>
        <source>missing arguments; usage: %1 %2</source>
        <translation>Argumente fehlen; Aufruf: %1 %2</translation>
    </message>
    <message>
        <source>unexpected argument '%1'; usage: %2 %3</source>
        <translation>Unerwartetes Argument „%1“; Aufruf: %2 %3</translation>
    </message>
    <message>
        <source>no connection called '%1' (there are no connections yet; see 'add')</source>
        <translation>Keine Verbindung namens „%1“ (es gibt noch keine Verbindungen; siehe „add“)</translation>
    </message>
    <message>
        <source>no connection called '%1'; known: %2</source>
        <translation>Keine Verbindung namens „%1“; bekannt: %2</translation>
    </message>
    <message>
        <source>'%1' does not sign in with OAuth (set --oauth-provider and --auth xoauth2 or oauthbearer)</source>
        <translation>'%1' meldet sich nicht mit OAuth an (setzen Sie --oauth-provider und --auth xoauth2 oder oauthbearer)</translation>
    </message>
</context>
<context>
    <name>relaydeck::cli::CommandLine</name>
    <message>
        <source>Usage: relaydeck-cli [--config-dir DIR] COMMAND [ARGS]</source>
        <translation>Aufruf: relaydeck-cli [--config-dir DIR] BEFEHL [ARGUMENTE]</translation>
    </message>
    <message>
        <source>Relaydeck keeps named SMTP connections, their secrets in the OS keychain, and tests them.</source>
        <translation>Relaydeck verwaltet benannte SMTP-Verbindungen, ihre Geheimnisse im Schlüsselbund des Betriebssystems und testet sie.</translation>
    </message>
    <message>
        <source>Commands:</source>
        <translation>Befehle:</translation>
    </message>
    <message>
        <source>CONN options: --host H --port N --security none|starttls|tls|auto --auth MECH --user U --password-stdin | --password-env VAR --ca-file PEM --pin SHA256 --no-verify --tls-min 1.0|1.1|1.2|1.3 --tls-max 1.0|1.1|1.2|1.3|any --helo NAME --timeout SECONDS --from ADDR --proxy none|system|socks5://[user@]host:port|http://[user@]host:port --proxy-password-env VAR --allow-plaintext-auth</source>
        <translation>CONN-Optionen: --host H --port N --security none|starttls|tls|auto --auth MECH --user U --password-stdin | --password-env VAR --ca-file PEM --pin SHA256 --no-verify --tls-min 1.0|1.1|1.2|1.3 --tls-max 1.0|1.1|1.2|1.3|any --helo NAME --timeout SEKUNDEN --from ADRESSE --proxy none|system|socks5://[user@]host:port|http://[user@]host:port --proxy-password-env VAR --allow-plaintext-auth</translation>
    </message>
    <message>
        <source>A secret never goes on the command line. Exit codes: 0 success, 1 the test ran and failed, 2 bad usage, bad input, or a storage/keychain error (nothing changed).</source>
        <translation>Ein Geheimnis gehört nie auf die Kommandozeile. Exit-Codes: 0 Erfolg, 1 der Test lief und schlug fehl, 2 falscher Aufruf, ungültige Eingabe oder ein Speicher-/Schlüsselbundfehler (nichts wurde geändert).</translation>
    </message>
    <message>
        <source>'relaydeck-cli COMMAND --help' describes each command.</source>
        <translation>„relaydeck-cli BEFEHL --help“ beschreibt jeden Befehl.</translation>
    </message>
    <message>
        <source>--config-dir needs a folder</source>
        <translation>--config-dir braucht einen Ordner</translation>
    </message>
    <message>
        <source>unknown command '%1'; 'relaydeck-cli --help' lists the commands</source>
        <translation>Unbekannter Befehl „%1“; „relaydeck-cli --help“ listet die Befehle auf</translation>
    </message>
</context>
<context>
    <name>relaydeck::cli::CopyCommand</name>
    <message>
        <source>Copy a connection and its keychain secrets under a new name.</source>
        <translation>Eine Verbindung und ihre Geheimnisse im Schlüsselbund unter neuem Namen kopieren.</translation>
    </message>
    <message>
        <source>The connection to copy.</source>
        <translation>Die zu kopierende Verbindung.</translation>
    </message>
    <message>
        <source>The copy's name.</source>
        <translation>Der Name der Kopie.</translation>
    </message>
    <message>
        <source>Do not copy the keychain secrets (the copy starts without passwords).</source>
        <translation>Die Geheimnisse im Schlüsselbund nicht kopieren (die Kopie beginnt ohne Passwörter).</translation>
    </message>
    <message>
        <source>Copied '%1' to '%2'.</source>
        <translation>„%1“ nach „%2“ kopiert.</translation>
    </message>
    <message>
        <source>Nothing was copied (--without-secrets copies the settings only).</source>
        <translation>Es wurde nichts kopiert (--without-secrets kopiert nur die Einstellungen).</translation>
    </message>
</context>
<context>
    <name>relaydeck::cli::DetectCommand</name>
    <message>
        <source>Find the SMTP settings for an address or domain (presets, MX, autoconfig, DNS SRV, probes); never sends a credential.</source>
        <translation>Die SMTP-Einstellungen für eine Adresse oder Domain ermitteln (Vorlagen, MX, Autoconfig, DNS-SRV, Proben); sendet nie Anmeldedaten.</translation>
    </message>
    <message>
        <source>The email address (user@domain) or the domain.</source>
        <translation>Die E-Mail-Adresse (benutzer@domain) oder die Domain.</translation>
    </message>
    <message>
        <source>Print the candidates as JSON.</source>
        <translation>Die Kandidaten als JSON ausgeben.</translation>
    </message>
    <message>
        <source>Seconds one probe may take; the whole detection ends within this plus the DNS time (default 10).</source>
        <translation>Sekunden, die eine Probe dauern darf; die ganze Ermittlung endet innerhalb dieser Zeit plus der DNS-Zeit (Standard 10).</translation>
    </message>
    <message>
        <source>Store the best candidate as a new connection with this name.</source>
        <translation>Den besten Kandidaten als neue Verbindung mit diesem Namen speichern.</translation>
    </message>
    <message>
        <source>With --add: accept a best candidate in another domain than the address's.</source>
        <translation>Mit --add: einen besten Kandidaten in einer anderen Domain als der der Adresse akzeptieren.</translation>
    </message>
    <message>
        <source>Also trust the CA certificates in this file (probes and autoconfig).</source>
        <translation>Zusätzlich den CA-Zertifikaten in dieser Datei vertrauen (Proben und Autoconfig).</translation>
    </message>
    <message>
        <source>Also fetch the autoconfig file over plain http (insecure).</source>
        <translation>Die Autoconfig-Datei auch über unverschlüsseltes http abrufen (unsicher).</translation>
    </message>
    <message>
        <source>--timeout expects whole seconds from 1 to %1</source>
        <translation>--timeout erwartet ganze Sekunden von 1 bis %1</translation>
    </message>
    <message>
        <source>--add needs a connection name</source>
        <translation>--add braucht einen Verbindungsnamen</translation>
    </message>
    <message>
        <source>a connection named '%1' already exists</source>
        <translation>Eine Verbindung namens „%1“ gibt es bereits</translation>
    </message>
    <message>
        <source>Detecting the SMTP settings for %1 (up to %2 s after the DNS answers)…</source>
        <translation>Ermittle die SMTP-Einstellungen für %1 (bis zu %2 s nach den DNS-Antworten) …</translation>
    </message>
    <message>
        <source>Candidates for %1, best first:</source>
        <translation>Kandidaten für %1, der beste zuerst:</translation>
    </message>
    <message>
        <source>source: %1</source>
        <translation>Quelle: %1</translation>
    </message>
    <message>
        <source>preset: %1</source>
        <translation>Vorlage: %1</translation>
    </message>
    <message>
        <source>greeting: %1</source>
        <translation>Begrüßung: %1</translation>
    </message>
    <message>
        <source>capabilities: %1</source>
        <translation>Fähigkeiten: %1</translation>
    </message>
    <message>
        <source>TLS: %1, certificate %2 (%3)%4</source>
        <translation>TLS: %1, Zertifikat %2 (%3)%4</translation>
    </message>
    <message>
        <source>handshake failed</source>
        <translation>Handshake fehlgeschlagen</translation>
    </message>
    <message>
        <source>for another name</source>
        <translation>für einen anderen Namen</translation>
    </message>
    <message>
        <source>autoconfig: user %1, authentication %2</source>
        <translation>Autoconfig: Benutzer %1, Authentifizierung %2</translation>
    </message>
    <message>
        <source>(none found)</source>
        <translation>(keine gefunden)</translation>
    </message>
    <message>
        <source>the best candidate %1 is in another domain than %2; check it and add --confirm to store it</source>
        <translation>Der beste Kandidat %1 liegt in einer anderen Domain als %2; prüfen Sie ihn und ergänzen Sie --confirm, um ihn zu speichern</translation>
    </message>
    <message>
        <source>the connection was not added:
%1</source>
        <translation>Die Verbindung wurde nicht hinzugefügt:
%1</translation>
    </message>
    <message>
        <source>Added '%1' (%2:%3, %4).</source>
        <translation>„%1“ hinzugefügt (%2:%3, %4).</translation>
    </message>
    <message>
        <source>Note: %1</source>
        <translation>Hinweis: %1</translation>
    </message>
    <message>
        <source>Done in %1 ms; the first usable candidate after %2.</source>
        <translation>Fertig nach %1 ms; der erste verwendbare Kandidat nach %2.</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(keiner)</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>No usable candidate: nothing was added.</source>
        <translation>Kein verwendbarer Kandidat: Es wurde nichts hinzugefügt.</translation>
    </message>
</context>
<context>
    <name>relaydeck::cli::ExportCommand</name>
    <message>
        <source>Export connections (all, or the ones named) without any secret.</source>
        <translation>Verbindungen exportieren (alle oder die genannten), ohne jedes Geheimnis.</translation>
    </message>
    <message>
        <source>Connections to export (default: all).</source>
        <translation>Zu exportierende Verbindungen (Standard: alle).</translation>
    </message>
    <message>
        <source>json (default), msmtp (an msmtprc) or dsn (one Symfony DSN per line).</source>
        <translation>json (Standard), msmtp (eine msmtprc) oder dsn (eine Symfony-DSN pro Zeile).</translation>
    </message>
    <message>
        <source>Write to FILE instead of standard output.</source>
        <translation>In DATEI statt auf die Standardausgabe schreiben.</translation>
    </message>
    <message>
        <source>--format: expected json, msmtp or dsn, not '%1'</source>
        <translation>--format: json, msmtp oder dsn erwartet, nicht „%1“</translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n connection(s) to %1.</source>
        <translation>
            <numerusform>%n Verbindung nach %1 exportiert.</numerusform>
            <numerusform>%n Verbindungen nach %1 exportiert.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>relaydeck::cli::ImportCommand</name>
    <message>
        <source>Import connections from our JSON, an msmtprc or Symfony DSNs.</source>
        <translation>Verbindungen aus unserem JSON, einer msmtprc oder Symfony-DSNs importieren.</translation>
    </message>
    <message>
        <source>The file to import ('-': standard input).</source>
        <translation>Die zu importierende Datei („-“: Standardeingabe).</translation>
    </message>
    <message>
        <source>auto (default: detect from the content), json, msmtp or dsn.</source>
        <translation>auto (Standard: am Inhalt erkennen), json, msmtp oder dsn.</translation>
    </message>
    <message>
        <source>Import only these connections (names as in the file, comma-separated or repeated).</source>
        <translation>Nur diese Verbindungen importieren (Namen wie in der Datei, durch Kommas getrennt oder wiederholt).</translation>
    </message>
    <message>
        <source>When a name exists already: fail (default; nothing changes), skip, rename or replace.</source>
        <translation>Wenn ein Name bereits existiert: fail (Standard; nichts ändert sich), skip, rename oder replace.</translation>
    </message>
    <message>
        <source>--format: expected auto, json, msmtp or dsn, not '%1'</source>
        <translation>--format: auto, json, msmtp oder dsn erwartet, nicht „%1“</translation>
    </message>
    <message>
        <source>--on-conflict: expected fail, skip, rename or replace, not '%1'</source>
        <translation>--on-conflict: fail, skip, rename oder replace erwartet, nicht „%1“</translation>
    </message>
    <message>
        <source>cannot read standard input</source>
        <translation>Die Standardeingabe kann nicht gelesen werden</translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>%1: %2 (nothing was imported)</source>
        <translation>%1: %2 (es wurde nichts importiert)</translation>
    </message>
    <message>
        <source>Not imported from %1: %2</source>
        <translation>Nicht aus %1 importiert: %2</translation>
    </message>
    <message numerus="yes">
        <source>Imported %n connection(s) (%1)</source>
        <translation>
            <numerusform>%n Verbindung importiert (%1)</numerusform>
            <numerusform>%n Verbindungen importiert (%1)</numerusform>
        </translation>
    </message>
    <message>
        <source>added: %1</source>
        <translation>hinzugefügt: %1</translation>
    </message>
    <message>
        <source>replaced: %1</source>
        <translation>ersetzt: %1</translation>
    </message>
    <message>
        <source>skipped (name exists): %1</source>
        <translation>übersprungen (Name existiert): %1</translation>
    </message>
    <message>
        <source>'%1' renamed to '%2'</source>
        <translation>„%1“ umbenannt in „%2“</translation>
    </message>
    <message>
        <source>Passwords are not part of an import; set them with 'set NAME --password-stdin' for: %1.</source>
        <translation>Passwörter gehören nicht zum Import; mit „set NAME --password-stdin“ festlegen für: %1.</translation>
    </message>
</context>
<context>
    <name>relaydeck::cli::LoginCommand</name>
    <message>
        <source>Sign a connection in with OAuth 2.0 (browser, or --device for a code to enter elsewhere); the refresh token goes to the keychain.</source>
        <translation>Eine Verbindung mit OAuth 2.0 anmelden (Browser, oder --device für einen Code, der anderswo eingegeben wird); das Aktualisierungstoken kommt in den Schlüsselbund.</translation>
    </message>
    <message>
        <source>The connection's name (any case).</source>
        <translation>Der Name der Verbindung (Groß-/Kleinschreibung egal).</translation>
    </message>
    <message>
        <source>Sign in with a code entered on another device (no browser here).</source>
        <translation>Mit einem Code anmelden, der auf einem anderen Gerät eingegeben wird (hier kein Browser).</translation>
    </message>
    <message>
        <source>Print the sign-in URL instead of opening a browser.</source>
        <translation>Die Anmelde-URL ausgeben, statt einen Browser zu öffnen.</translation>
    </message>
    <message>
        <source>'%1' has no OAuth client id: set it with 'set %1 --oauth-client-id ID'</source>
        <translation>'%1' hat keine OAuth-Client-ID: Setzen Sie sie mit 'set %1 --oauth-client-id ID'</translation>
    </message>
    <message>
        <source>To sign in, open %1 and enter the code %2</source>
        <translation>Zum Anmelden öffnen Sie %1 und geben Sie den Code %2 ein</translation>
    </message>
    <message>
        <source>or open %1</source>
        <translation>oder öffnen Sie %1</translation>
    </message>
    <message>
        <source>Waiting for the sign-in…</source>
        <translation>Warte auf die Anmeldung…</translation>
    </message>
    <message>
        <source>Open this URL in a browser to sign in:</source>
        <translation>Öffnen Sie diese URL in einem Browser, um sich anzumelden:</translation>
    </message>
    <message>
        <source>The browser shows the sign-in; waiting for it to finish…</source>
        <translation>Der Browser zeigt die Anmeldung; warte, bis sie abgeschlossen ist…</translation>
    </message>
    <message>
        <source>sign-in failed: %1</source>
        <translation>Anmeldung fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Hint: %1</source>
        <translation>Hinweis: %1</translation>
    </message>
    <message>
        <source>the provider issued no refresh token, so Relaydeck could not renew the access token: add offline_access (or the provider's equivalent) to the scope</source>
        <translation>Der Anbieter hat kein Aktualisierungstoken ausgestellt, daher könnte Relaydeck das Zugriffstoken nicht erneuern: Fügen Sie offline_access (oder das Gegenstück des Anbieters) zum Bereich hinzu</translation>
    </message>
    <message>
        <source>Signed '%1' in.</source>
        <translation>'%1' ist angemeldet.</translation>
    </message>
    <message>
        <source>Signed '%1' in as %2.</source>
        <translation>'%1' ist als %2 angemeldet.</translation>
    </message>
</context>
<context>
    <name>relaydeck::cli::LogoutCommand</name>
    <message>
        <source>Sign a connection out of OAuth: delete its stored refresh token.</source>
        <translation>Eine Verbindung von OAuth abmelden: ihr gespeichertes Aktualisierungstoken löschen.</translation>
    </message>
    <message>
        <source>The connection's name (any case).</source>
        <translation>Der Name der Verbindung (Groß-/Kleinschreibung egal).</translation>
    </message>
    <message>
        <source>Signed '%1' out.</source>
        <translation>'%1' ist abgemeldet.</translation>
    </message>
</context>
<context>
    <name>relaydeck::cli::PresetsCommand</name>
    <message>
        <source>List the provider presets for 'add --preset ID'.</source>
        <translation>Die Anbietervorlagen für „add --preset ID“ auflisten.</translation>
    </message>
    <message>
        <source>Print the presets as a JSON array.</source>
        <translation>Die Vorlagen als JSON-Array ausgeben.</translation>
    </message>
    <message>
        <source>(your server)</source>
        <translation>(Ihr Server)</translation>
    </message>
    <message>
        <source>, or %1 %2</source>
        <translation>, oder %1 %2</translation>
    </message>
    <message>
        <source>user: %1</source>
        <translation>Benutzer: %1</translation>
    </message>
    <message>
        <source>--region (default %1): %2</source>
        <translation>--region (Standard %1): %2</translation>
    </message>
</context>
<context>
    <name>relaydeck::cli::RemoveCommand</name>
    <message>
        <source>Remove a connection and its keychain secrets.</source>
        <translation>Eine Verbindung und ihre Geheimnisse im Schlüsselbund entfernen.</translation>
    </message>
    <message>
        <source>The connection to remove.</source>
        <translation>Die zu entfernende Verbindung.</translation>
    </message>
    <message>
        <source>Leave its keychain entries alone (e.g. when no keyring is reachable).</source>
        <translation>Ihre Schlüsselbund-Einträge unverändert lassen (z. B. wenn kein Schlüsselbund erreichbar ist).</translation>
    </message>
    <message>
        <source>'%1' was not removed (--keep-secrets removes it and leaves the keychain alone).</source>
        <translation>„%1“ wurde nicht entfernt (--keep-secrets entfernt sie und lässt den Schlüsselbund unverändert).</translation>
    </message>
    <message>
        <source>Warning: %1</source>
        <translation>Warnung: %1</translation>
    </message>
    <message>
        <source>Removed '%1'.</source>
        <translation>„%1“ entfernt.</translation>
    </message>
</context>
<context>
    <name>relaydeck::cli::RenameCommand</name>
    <message>
        <source>Rename a connection (its secrets stay with it).</source>
        <translation>Eine Verbindung umbenennen (ihre Geheimnisse bleiben bei ihr).</translation>
    </message>
    <message>
        <source>The connection's current name.</source>
        <translation>Der bisherige Name der Verbindung.</translation>
    </message>
    <message>
        <source>The new name.</source>
        <translation>Der neue Name.</translation>
    </message>
    <message>
        <source>Renamed '%1' to '%2'.</source>
        <translation>„%1“ in „%2“ umbenannt.</translation>
    </message>
</context>
<context>
    <name>relaydeck::cli::SetCommand</name>
    <message>
        <source>Change a stored connection (only the options given).</source>
        <translation>Eine gespeicherte Verbindung ändern (nur die angegebenen Optionen).</translation>
    </message>
    <message>
        <source>The connection's name (any case).</source>
        <translation>Der Name der Verbindung (Groß-/Kleinschreibung egal).</translation>
    </message>
    <message>
        <source>a password was given but the connection has no user name: add --user</source>
        <translation>Ein Passwort wurde angegeben, aber die Verbindung hat keinen Benutzernamen: Ergänzen Sie --user</translation>
    </message>
    <message>
        <source>'%1' was not changed:
%2</source>
        <translation>„%1“ wurde nicht geändert:
%2</translation>
    </message>
    <message>
        <source>Nothing to change in '%1'.</source>
        <translation>An „%1“ gibt es nichts zu ändern.</translation>
    </message>
    <message>
        <source>'%1' was not changed.</source>
        <translation>„%1“ wurde nicht geändert.</translation>
    </message>
    <message>
        <source>Updated '%1'.</source>
        <translation>„%1“ aktualisiert.</translation>
    </message>
    <message>
        <source>The keychain holds its secrets.</source>
        <translation>Der Schlüsselbund enthält ihre Geheimnisse.</translation>
    </message>
</context>
<context>
    <name>relaydeck::cli::ShowCommand</name>
    <message>
        <source>Show one connection.</source>
        <translation>Eine Verbindung anzeigen.</translation>
    </message>
    <message>
        <source>The connection's name (any case).</source>
        <translation>Der Name der Verbindung (Groß-/Kleinschreibung egal).</translation>
    </message>
    <message>
        <source>Print the profile object exactly as in connections.json (for an OAuth profile, with its sign-in state under &quot;oauthSignIn&quot;).</source>
        <translation>Das Profilobjekt genau wie in connections.json ausgeben (bei einem OAuth-Profil mit seinem Anmeldestatus unter „oauthSignIn“).</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Beschreibung</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source> (default port)</source>
        <translation> (Standardport)</translation>
    </message>
    <message>
        <source>Security</source>
        <translation>Sicherheit</translation>
    </message>
    <message>
        <source>Timeout</source>
        <translation>Zeitlimit</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>Sender</source>
        <translation>Absender</translation>
    </message>
    <message>
        <source>HELO name</source>
        <translation>HELO-Name</translation>
    </message>
    <message>
        <source>Charset</source>
        <translation>Zeichensatz</translation>
    </message>
    <message>
        <source>Authentication</source>
        <translation>Authentifizierung</translation>
    </message>
    <message>
        <source>user name from the environment variable %1</source>
        <translation>Benutzername aus der Umgebungsvariablen %1</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>Plaintext auth allowed</source>
        <translation>Klartext-Anmeldung erlaubt</translation>
    </message>
    <message>
        <source>Verify certificate</source>
        <translation>Zertifikat prüfen</translation>
    </message>
    <message>
        <source>Minimum TLS</source>
        <translation>Mindest-TLS</translation>
    </message>
    <message>
        <source>Maximum TLS</source>
        <translation>Höchste TLS-Version</translation>
    </message>
    <message>
        <source>newest available</source>
        <translation>neueste verfügbare</translation>
    </message>
    <message>
        <source>CA file</source>
        <translation>CA-Datei</translation>
    </message>
    <message>
        <source>Pinned SHA-256</source>
        <translation>Fingerabdruck (SHA-256)</translation>
    </message>
    <message>
        <source>Client certificate</source>
        <translation>Client-Zertifikat</translation>
    </message>
    <message>
        <source>Client key</source>
        <translation>Client-Schlüssel</translation>
    </message>
    <message>
        <source>Proxy</source>
        <translation>Proxy</translation>
    </message>
    <message>
        <source>Proxy domain</source>
        <translation>Proxy-Domäne</translation>
    </message>
    <message>
        <source>Option %1</source>
        <translation>Option %1</translation>
    </message>
    <message>
        <source>Preset</source>
        <translation>Vorlage</translation>
    </message>
    <message>
        <source>Password from</source>
        <translation>Passwort aus</translation>
    </message>
    <message>
        <source>Kerberos ticket</source>
        <translation>Kerberos-Ticket</translation>
    </message>
    <message>
        <source>yes (GSSAPI, no password)</source>
        <translation>ja (GSSAPI, kein Passwort)</translation>
    </message>
    <message>
        <source>Keychain key</source>
        <translation>Schlüsselbund-Schlüssel</translation>
    </message>
    <message>
        <source>unknown (%1)</source>
        <translation>unbekannt (%1)</translation>
    </message>
    <message>
        <source>yes (refresh token in the keychain)</source>
        <translation>ja (Aktualisierungstoken im Schlüsselbund)</translation>
    </message>
    <message>
        <source>no: sign in with 'relaydeck-cli login %1'</source>
        <translation>nein: Melden Sie sich mit „relaydeck-cli login %1“ an</translation>
    </message>
    <message>
        <source>Signed in</source>
        <translation>Angemeldet</translation>
    </message>
    <message>
        <source>Access token</source>
        <translation>Zugriffstoken</translation>
    </message>
    <message>
        <source>valid until %1</source>
        <translation>gültig bis %1</translation>
    </message>
    <message>
        <source>none held; each test or 'token' fetches a fresh one</source>
        <translation>keines vorhanden; jeder Test und „token“ holt ein neues</translation>
    </message>
</context>
<context>
    <name>relaydeck::cli::TestCommand</name>
    <message>
        <source>Test a stored connection, or an ad-hoc one given with CONN options, or every stored connection at once (--all).</source>
        <translation>Eine gespeicherte Verbindung testen, eine mit CONN-Optionen angegebene oder alle gespeicherten Verbindungen auf einmal (--all).</translation>
    </message>
    <message>
        <source>A stored connection (omit it to test only what CONN describes).</source>
        <translation>Eine gespeicherte Verbindung (weglassen, um nur das zu testen, was CONN beschreibt).</translation>
    </message>
    <message>
        <source>Also send a test message to ADDR (default: stop after AUTH).</source>
        <translation>Zusätzlich eine Testnachricht an ADRESSE senden (Standard: nach AUTH aufhören).</translation>
    </message>
    <message>
        <source>Subject of the test message.</source>
        <translation>Betreff der Testnachricht.</translation>
    </message>
    <message>
        <source>Print the test report as JSON.</source>
        <translation>Den Testbericht als JSON ausgeben.</translation>
    </message>
    <message>
        <source>Include the SMTP transcript (AUTH payloads are redacted).</source>
        <translation>Das SMTP-Protokoll einschließen (AUTH-Daten werden geschwärzt).</translation>
    </message>
    <message>
        <source>Test every stored connection with its keychain secrets, many at once.</source>
        <translation>Jede gespeicherte Verbindung mit ihren Geheimnissen aus dem Schlüsselbund testen, viele gleichzeitig.</translation>
    </message>
    <message>
        <source>With --all: test at most N connections at the same time (default: %1).</source>
        <translation>Mit --all: höchstens N Verbindungen gleichzeitig testen (Vorgabe: %1).</translation>
    </message>
    <message>
        <source>--parallel goes with --all</source>
        <translation>--parallel gibt es nur zusammen mit --all</translation>
    </message>
    <message>
        <source>give a stored connection's NAME, or --host for an ad-hoc test</source>
        <translation>Geben Sie den NAMEN einer gespeicherten Verbindung an, oder --host für einen spontanen Test</translation>
    </message>
    <message>
        <source>cannot test this connection:
%1</source>
        <translation>Diese Verbindung kann nicht getestet werden:
%1</translation>
    </message>
    <message>
        <source>Warning: %1</source>
        <translation>Warnung: %1</translation>
    </message>
    <message>
        <source>Give the password for this run with --password-stdin or --password-env VAR.</source>
        <translation>Geben Sie das Passwort für diesen Lauf mit --password-stdin oder --password-env VAR an.</translation>
    </message>
    <message>
        <source>--all tests the stored connections as they are; it takes only --parallel N and --json, not --%1</source>
        <translation>--all testet die gespeicherten Verbindungen so, wie sie sind; es nimmt nur --parallel N und --json, nicht --%1</translation>
    </message>
    <message>
        <source>give a connection's NAME or --all, not both</source>
        <translation>geben Sie den NAMEN einer Verbindung oder --all an, nicht beides</translation>
    </message>
    <message>
        <source>--parallel: give a number from 1 to 1000</source>
        <translation>--parallel: geben Sie eine Zahl von 1 bis 1000 an</translation>
    </message>
    <message>
        <source>there are no connections to test in %1 (see 'add')</source>
        <translation>in %1 gibt es keine Verbindungen zum Testen (siehe 'add')</translation>
    </message>
    <message>
        <source>Testing %1%2:%3 (%4)</source>
        <translation>Teste %1%2:%3 (%4)</translation>
    </message>
    <message>
        <source>Transcript:</source>
        <translation>Protokoll:</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>Security</source>
        <translation>Sicherheit</translation>
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
    <message>
        <source>certificate verified</source>
        <translation>Zertifikat geprüft</translation>
    </message>
    <message>
        <source>certificate NOT verified</source>
        <translation>Zertifikat NICHT geprüft</translation>
    </message>
    <message>
        <source>TLS</source>
        <translation>TLS</translation>
    </message>
    <message>
        <source>TLS error</source>
        <translation>TLS-Fehler</translation>
    </message>
    <message>
        <source>Certificate</source>
        <translation>Zertifikat</translation>
    </message>
    <message>
        <source>%1, issued by %2, valid until %3</source>
        <translation>%1, ausgestellt von %2, gültig bis %3</translation>
    </message>
    <message>
        <source>SHA-256</source>
        <translation>SHA-256</translation>
    </message>
    <message>
        <source>Auth</source>
        <translation>Auth</translation>
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
        <source>Test passed.</source>
        <translation>Test bestanden.</translation>
    </message>
    <message>
        <source>Test failed at %1: %2 (%3)</source>
        <translation>Test fehlgeschlagen bei %1: %2 (%3)</translation>
    </message>
    <message>
        <source>Server said</source>
        <translation>Antwort des Servers</translation>
    </message>
    <message>
        <source>Hint</source>
        <translation>Hinweis</translation>
    </message>
</context>
<context>
    <name>relaydeck::cli::TokenCommand</name>
    <message>
        <source>Print a valid OAuth access token of a signed-in connection (refreshed when needed) and nothing else, e.g. for msmtp's passwordeval.</source>
        <translation>Ein gültiges OAuth-Zugriffstoken einer angemeldeten Verbindung ausgeben (bei Bedarf erneuert) und sonst nichts, z. B. für passwordeval von msmtp.</translation>
    </message>
    <message>
        <source>The connection's name (any case).</source>
        <translation>Der Name der Verbindung (Groß-/Kleinschreibung egal).</translation>
    </message>
    <message>
        <source>Hint: %1</source>
        <translation>Hinweis: %1</translation>
    </message>
    <message>
        <source>Warning: %1</source>
        <translation>Warnung: %1</translation>
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
        <source>Ena&amp;bled: run this command when testing</source>
        <translation>Akti&amp;viert: diesen Befehl beim Testen ausführen</translation>
    </message>
    <message>
        <source>Use my &amp;Kerberos ticket (GSSAPI)</source>
        <translation>M&amp;ein Kerberos-Ticket verwenden (GSSAPI)</translation>
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
        <source>GSSAPI (Kerberos ticket)</source>
        <translation>GSSAPI (Kerberos-Ticket)</translation>
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
        <source>none: the user name above</source>
        <translation>keine: der Benutzername oben</translation>
    </message>
    <message>
        <source>Read the user name from this environment variable each time a test runs.</source>
        <translation>Den Benutzernamen bei jedem Test aus dieser Umgebungsvariablen lesen.</translation>
    </message>
    <message>
        <source>Keychain</source>
        <translation>Schlüsselbund</translation>
    </message>
    <message>
        <source>Environment variable</source>
        <translation>Umgebungsvariable</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>Befehl</translation>
    </message>
    <message>
        <source>Where the password comes from each time a test runs.</source>
        <translation>Woher das Passwort bei jedem Test kommt.</translation>
    </message>
    <message>
        <source>e.g. SMTP_PASSWORD</source>
        <translation>z. B. SMTP_PASSWORD</translation>
    </message>
    <message>
        <source>e.g. pass show mail/smtp</source>
        <translation>z. B. pass show mail/smtp</translation>
    </message>
    <message>
        <source>A program and its arguments, run without a shell; its first output line is the password. Use sh -c '…' for pipes.</source>
        <translation>Ein Programm mit seinen Argumenten, ohne Shell ausgeführt; seine erste Ausgabezeile ist das Passwort. Für Pipes sh -c '…' verwenden.</translation>
    </message>
    <message>
        <source>A command from an imported file stays off until you enable it: it runs with your rights, so check what it does first.</source>
        <translation>Ein Befehl aus einer importierten Datei bleibt aus, bis Sie ihn aktivieren: Er läuft mit Ihren Rechten, prüfen Sie also zuerst, was er tut.</translation>
    </message>
    <message>
        <source>Log on with the Kerberos ticket of the user running Relaydeck (get one with kinit, or at the desktop login in an Active Directory domain): no password is stored.</source>
        <translation>Mit dem Kerberos-Ticket des Benutzers anmelden, der Relaydeck ausführt (erhältlich mit kinit oder bei der Desktop-Anmeldung in einer Active-Directory-Domäne): Es wird kein Passwort gespeichert.</translation>
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
        <source>User name from variabl&amp;e:</source>
        <translation>Benutzername aus Variabl&amp;e:</translation>
    </message>
    <message>
        <source>Passwo&amp;rd from:</source>
        <translation>Passwo&amp;rt aus:</translation>
    </message>
    <message>
        <source>&amp;Variable:</source>
        <translation>&amp;Variable:</translation>
    </message>
    <message>
        <source>Comman&amp;d:</source>
        <translation>Be&amp;fehl:</translation>
    </message>
    <message>
        <source>Enter the client ID of your app registration, then sign in.</source>
        <translation>Geben Sie die Client-ID Ihrer App-Registrierung ein, dann melden Sie sich an.</translation>
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
        <source>Optional with Kerberos: the user to act as; empty: your Kerberos principal (klist shows it).</source>
        <translation>Bei Kerberos optional: der Benutzer, als der gehandelt wird; leer: Ihr Kerberos-Principal (klist zeigt ihn).</translation>
    </message>
    <message>
        <source>To sign in with OAuth 2.0 instead of a password, choose XOAUTH2 as the mechanism.</source>
        <translation>Um sich mit OAuth 2.0 statt mit einem Passwort anzumelden, wählen Sie XOAUTH2 als Verfahren.</translation>
    </message>
    <message>
        <source>Without a user name the connection sends without authentication.</source>
        <translation>Ohne Benutzernamen sendet die Verbindung ohne Authentifizierung.</translation>
    </message>
    <message>
        <source>Paste a current OAuth 2.0 access token as the password, or choose a provider below to sign in.</source>
        <translation>Fügen Sie ein aktuelles OAuth-2.0-Zugriffstoken als Passwort ein, oder wählen Sie unten einen Anbieter, um sich anzumelden.</translation>
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
    <name>relaydeck::ui::CertificateTrustDialog</name>
    <message>
        <source>Subject:</source>
        <translation>Inhaber:</translation>
    </message>
    <message>
        <source>Issuer:</source>
        <translation>Aussteller:</translation>
    </message>
    <message>
        <source>Valid until:</source>
        <translation>Gültig bis:</translation>
    </message>
    <message>
        <source>SHA-256:</source>
        <translation>SHA-256:</translation>
    </message>
    <message>
        <source>Trust the &amp;issuing CA</source>
        <translation>Der ausstellenden &amp;CA vertrauen</translation>
    </message>
    <message>
        <source>Trust this &amp;certificate only (a pin)</source>
        <translation>Nur diesem &amp;Zertifikat vertrauen (Pin)</translation>
    </message>
    <message>
        <source>Trust This Certificate?</source>
        <translation>Diesem Zertifikat vertrauen?</translation>
    </message>
    <message>
        <source>The certificate of &quot;%1&quot; could not be verified:</source>
        <translation>Das Zertifikat von „%1“ konnte nicht geprüft werden:</translation>
    </message>
    <message>
        <source>Certificates it issues for this server, renewals included, are accepted. It is saved as this connection's CA file in Relaydeck's data folder.</source>
        <translation>Zertifikate, die sie für diesen Server ausstellt, auch erneuerte, werden angenommen. Sie wird als CA-Datei dieser Verbindung im Datenordner von Relaydeck gespeichert.</translation>
    </message>
    <message>
        <source>A renewed certificate will need your confirmation again.</source>
        <translation>Ein erneuertes Zertifikat müssen Sie wieder bestätigen.</translation>
    </message>
    <message>
        <source>Compare the fingerprint with the one the server's administrator gives you before you trust it.</source>
        <translation>Vergleichen Sie den Fingerabdruck mit dem, den Ihnen der Administrator des Servers nennt, bevor Sie ihm vertrauen.</translation>
    </message>
    <message>
        <source>&amp;Trust and Test Again</source>
        <translation>&amp;Vertrauen und erneut testen</translation>
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
    <message>
        <source>Save Without a Password?</source>
        <translation>Ohne Passwort speichern?</translation>
    </message>
    <message>
        <source>This connection logs on with a user name and a password, but no password is typed or stored. Tests and exports that need it will fail until you enter it.

Save it without a password?</source>
        <translation>Diese Verbindung meldet sich mit Benutzername und Passwort an, aber es ist kein Passwort eingegeben oder gespeichert. Tests und Exporte, die es brauchen, schlagen fehl, bis Sie es eingeben.

Ohne Passwort speichern?</translation>
    </message>
    <message>
        <source>Save &amp;Without Password</source>
        <translation>&amp;Ohne Passwort speichern</translation>
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
        <source>automatic security</source>
        <translation>automatische Sicherheit</translation>
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
    <name>relaydeck::ui::ConnectionListPane</name>
    <message>
        <source>Name, server or user</source>
        <translation>Name, Server oder Benutzer</translation>
    </message>
    <message>
        <source>&amp;Filter:</source>
        <translation>&amp;Filter:</translation>
    </message>
</context>
<context>
    <name>relaydeck::ui::DetectDialog</name>
    <message>
        <source>Detect</source>
        <translation>Ermitteln</translation>
    </message>
    <message>
        <source>Use</source>
        <translation>Verwenden</translation>
    </message>
    <message>
        <source>New from Address</source>
        <translation>Neu aus Adresse</translation>
    </message>
    <message>
        <source>admin@example.org or example.org</source>
        <translation>admin@example.org oder example.org</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>Security</source>
        <translation>Sicherheit</translation>
    </message>
    <message>
        <source>Mechanisms</source>
        <translation>Verfahren</translation>
    </message>
    <message>
        <source>Certificate</source>
        <translation>Zertifikat</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Address or domain:</source>
        <translation>Adresse oder Domain:</translation>
    </message>
    <message>
        <source>Probing every candidate (up to %1 s after the DNS answers); no password is sent…</source>
        <translation>Jeder Kandidat wird geprüft (bis zu %1 s nach den DNS-Antworten); es wird kein Passwort gesendet …</translation>
    </message>
    <message>
        <source>Done: the best candidate is selected.</source>
        <translation>Fertig: Der beste Kandidat ist ausgewählt.</translation>
    </message>
    <message>
        <source>Done: no usable candidate was found.</source>
        <translation>Fertig: Es wurde kein verwendbarer Kandidat gefunden.</translation>
    </message>
    <message>
        <source>for another name</source>
        <translation>für einen anderen Namen</translation>
    </message>
    <message>
        <source>valid</source>
        <translation>gültig</translation>
    </message>
    <message>
        <source>not trusted</source>
        <translation>nicht vertrauenswürdig</translation>
    </message>
    <message>
        <source>%1:%2 — %3</source>
        <translation>%1:%2 — %3</translation>
    </message>
    <message>
        <source>%1 is in another domain than the address: I confirm it is the right server</source>
        <translation>%1 liegt in einer anderen Domain als die Adresse: Ich bestätige, dass es der richtige Server ist</translation>
    </message>
</context>
<context>
    <name>relaydeck::ui::EditorSelection</name>
    <message>
        <source>Unnamed connection</source>
        <translation>Unbenannte Verbindung</translation>
    </message>
    <message>
        <source>The connection was not saved: fix the marked fields first.</source>
        <translation>Die Verbindung wurde nicht gespeichert: Korrigieren Sie zuerst die markierten Felder.</translation>
    </message>
</context>
<context>
    <name>relaydeck::ui::EditorTestRunner</name>
    <message>
        <source>Fix the marked fields before testing.</source>
        <translation>Korrigieren Sie vor dem Test die markierten Felder.</translation>
    </message>
    <message>
        <source>Send a test message to: %1</source>
        <translation>Testnachricht senden an: %1</translation>
    </message>
    <message>
        <source>Switched to %1 on port %2; Save to keep it.</source>
        <translation>Auf %1 an Port %2 umgestellt; speichern Sie, um es zu behalten.</translation>
    </message>
</context>
<context>
    <name>relaydeck::ui::EmptyPage</name>
    <message>
        <source>No connections yet</source>
        <translation>Noch keine Verbindungen</translation>
    </message>
    <message>
        <source>Start from a provider preset (Gmail, Microsoft 365, Amazon SES, your Exchange server and more), from a blank form, or import the connections you already have (Relaydeck JSON, an msmtprc, Symfony DSNs).</source>
        <translation>Beginnen Sie mit der Vorlage eines Anbieters (Gmail, Microsoft 365, Amazon SES, Ihr Exchange-Server und mehr), mit einem leeren Formular, oder importieren Sie Ihre vorhandenen Verbindungen (Relaydeck-JSON, eine msmtprc, Symfony-DSNs).</translation>
    </message>
    <message>
        <source>New from &amp;Preset…</source>
        <translation>Neu aus &amp;Vorlage …</translation>
    </message>
    <message>
        <source>&amp;Blank Connection</source>
        <translation>&amp;Leere Verbindung</translation>
    </message>
    <message>
        <source>&amp;Import…</source>
        <translation>&amp;Importieren …</translation>
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
        <source>Automatic — implicit TLS on port 465, otherwise STARTTLS</source>
        <translation>Automatisch — implizites TLS auf Port 465, sonst STARTTLS</translation>
    </message>
    <message>
        <source>TLS 1.0 (obsolete, insecure)</source>
        <translation>TLS 1.0 (veraltet, unsicher)</translation>
    </message>
    <message>
        <source>TLS 1.1 (obsolete, insecure)</source>
        <translation>TLS 1.1 (veraltet, unsicher)</translation>
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
        <source>TLS 1.2 is the default. TLS 1.0 and 1.1 are obsolete and insecure (RFC 8996): choose them only for a legacy server that cannot be updated. SSL is never offered.</source>
        <translation>Standard ist TLS 1.2. TLS 1.0 und 1.1 sind veraltet und unsicher (RFC 8996): Wählen Sie sie nur für einen Altserver, der sich nicht aktualisieren lässt. SSL wird nie angeboten.</translation>
    </message>
    <message>
        <source>Newest available</source>
        <translation>Neueste verfügbare</translation>
    </message>
    <message>
        <source>TLS 1.0</source>
        <translation>TLS 1.0</translation>
    </message>
    <message>
        <source>TLS 1.1</source>
        <translation>TLS 1.1</translation>
    </message>
    <message>
        <source>TLS 1.2 here allows exactly TLS 1.2, for a server whose TLS 1.3 is broken.</source>
        <translation>TLS 1.2 hier erlaubt genau TLS 1.2, für einen Server, dessen TLS 1.3 defekt ist.</translation>
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
        <translation>&amp;Niedrigste TLS-Version:</translation>
    </message>
    <message>
        <source>Ma&amp;ximum TLS version:</source>
        <translation>Höchs&amp;te TLS-Version:</translation>
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
        <translation>&amp;Fingerabdruck (SHA-256):</translation>
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
        <source>Warning: TLS 1.0/1.1 can be broken by an attacker on the path. Allowed for this connection only; the test report warns each time.</source>
        <translation>Warnung: TLS 1.0/1.1 kann ein Angreifer auf dem Übertragungsweg brechen. Nur für diese Verbindung erlaubt; der Testbericht warnt jedes Mal.</translation>
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
    <message>
        <source>Port 465: implicit TLS. Any other port: STARTTLS, required; only towards this machine (loopback) or on port 25 does the session go on unencrypted when the server does not offer it, with a warning, and passwords then go to this machine only. The test report says what was used.</source>
        <translation>Port 465: implizites TLS. Jeder andere Port: STARTTLS, verpflichtend; nur gegenüber diesem Rechner (Loopback) oder auf Port 25 geht die Sitzung unverschlüsselt weiter, wenn der Server es nicht anbietet, mit einer Warnung, und Passwörter gehen dann nur an diesen Rechner. Der Testbericht sagt, was verwendet wurde.</translation>
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
    <name>relaydeck::ui::ImportSelectionDialog</name>
    <message>
        <source>Import Connections</source>
        <translation>Verbindungen importieren</translation>
    </message>
    <message>
        <source>Connections in %1:</source>
        <translation>Verbindungen in %1:</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Verbindung</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>After the import</source>
        <translation>Nach dem Import</translation>
    </message>
    <message>
        <source>&amp;Import</source>
        <translation>&amp;Importieren</translation>
    </message>
</context>
<context>
    <name>relaydeck::ui::MainTab</name>
    <message>
        <source>De&amp;tect…</source>
        <translation>Er&amp;kennen …</translation>
    </message>
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
        <source>Find the server, port and security for the sender's address (or the server's domain): every candidate is probed, no password is sent.</source>
        <translation>Server, Port und Sicherheit zur Absenderadresse (oder zur Domain des Servers) ermitteln: Jeder Kandidat wird geprüft, kein Passwort wird gesendet.</translation>
    </message>
    <message>
        <source>587 for STARTTLS, 465 for implicit TLS, 25 for relays without encryption. It follows the security mode while it holds that mode's default.</source>
        <translation>587 für STARTTLS, 465 für implizites TLS, 25 für Relays ohne Verschlüsselung. Der Port folgt dem Sicherheitsmodus, solange er dessen Standardwert hat.</translation>
    </message>
    <message>
        <source>Security (also on the Encryption tab, with its details).</source>
        <translation>Sicherheit (auch auf der Registerkarte „Verschlüsselung“, mit den Einzelheiten).</translation>
    </message>
    <message>
        <source>Security</source>
        <translation>Sicherheit</translation>
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
        <source>&amp;Port:</source>
        <translation>&amp;Port:</translation>
    </message>
    <message>
        <source>T&amp;imeout:</source>
        <translation>Zeitl&amp;imit:</translation>
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
        <source>Advanced</source>
        <translation>Erweitert</translation>
    </message>
    <message>
        <source>Options for Symfony Mailer DSN exports only (restart_threshold, ping_threshold, …); tests and the other formats do not use them.</source>
        <translation>Optionen nur für den Export als Symfony-Mailer-DSN (restart_threshold, ping_threshold, …); Tests und die anderen Formate verwenden sie nicht.</translation>
    </message>
    <message>
        <source>Port changed from %1 to %2 with the security.</source>
        <translation>Port mit der Sicherheit von %1 auf %2 geändert.</translation>
    </message>
    <message>
        <source>Use Port %1</source>
        <translation>Port %1 verwenden</translation>
    </message>
    <message>
        <source>Put &quot;%1&quot; in Server and %2 in Port.</source>
        <translation>„%1“ als Server und %2 als Port eintragen.</translation>
    </message>
    <message numerus="yes">
        <source>Advanced (%n option(s))</source>
        <translation>
            <numerusform>Erweitert (%n Option)</numerusform>
            <numerusform>Erweitert (%n Optionen)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>relaydeck::ui::MainWindow</name>
    <message>
        <source>Relaydeck</source>
        <translation>Relaydeck</translation>
    </message>
    <message numerus="yes">
        <source>%n connection(s)</source>
        <translation>
            <numerusform>%n Verbindung</numerusform>
            <numerusform>%n Verbindungen</numerusform>
        </translation>
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
        <source>New connection from the preset &quot;%1&quot;: enter the server and your login, then Save.</source>
        <translation>Neue Verbindung aus der Vorlage „%1“: Geben Sie den Server und Ihre Anmeldedaten ein und speichern Sie dann.</translation>
    </message>
    <message>
        <source>New connection from the preset &quot;%1&quot;: enter your login, then Save.</source>
        <translation>Neue Verbindung aus der Vorlage „%1“: Geben Sie Ihre Anmeldedaten ein und speichern Sie dann.</translation>
    </message>
    <message>
        <source>The connection was not saved: fix the marked fields first.</source>
        <translation>Die Verbindung wurde nicht gespeichert: Korrigieren Sie zuerst die markierten Felder.</translation>
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
        <source>Connection Changed Elsewhere</source>
        <translation>Verbindung anderswo geändert</translation>
    </message>
    <message>
        <source>Another program (such as relaydeck-cli) changed &quot;%1&quot; while you edited it.

Load its version? Your edits are lost. Cancel keeps your edits; saving them overwrites the other version.</source>
        <translation>Ein anderes Programm (etwa relaydeck-cli) hat „%1“ geändert, während Sie es bearbeitet haben.

Dessen Fassung laden? Ihre Änderungen gehen dann verloren. „Abbrechen“ behält Ihre Änderungen; wenn Sie sie speichern, überschreiben sie die andere Fassung.</translation>
    </message>
    <message>
        <source>Another program (such as relaydeck-cli) deleted &quot;%1&quot; while you edited it.

Discard your edits? Cancel keeps them on screen.</source>
        <translation>Ein anderes Programm (etwa relaydeck-cli) hat „%1“ gelöscht, während Sie es bearbeitet haben.

Ihre Änderungen verwerfen? „Abbrechen“ lässt sie auf dem Bildschirm.</translation>
    </message>
    <message>
        <source>&amp;Load Its Version</source>
        <translation>Dessen Fassung &amp;laden</translation>
    </message>
    <message>
        <source>&amp;Discard My Edits</source>
        <translation>Meine Änderungen &amp;verwerfen</translation>
    </message>
    <message>
        <source>The connections were changed by another program; the list is up to date.</source>
        <translation>Die Verbindungen wurden von einem anderen Programm geändert; die Liste ist aktuell.</translation>
    </message>
    <message>
        <source>Unsaved changes in the editor are not part of it.</source>
        <translation>Ungespeicherte Änderungen im Editor sind nicht enthalten.</translation>
    </message>
    <message>
        <source>Pinned the certificate; testing again.</source>
        <translation>Zertifikat hinterlegt; es wird erneut getestet.</translation>
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
    <message>
        <source>Unnamed connection</source>
        <translation>Unbenannte Verbindung</translation>
    </message>
</context>
<context>
    <name>relaydeck::ui::MainWindowActions</name>
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
        <source>New from &amp;Address…</source>
        <translation>Neu aus &amp;Adresse …</translation>
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
</context>
<context>
    <name>relaydeck::ui::OAuthSignInBox</name>
    <message>
        <source>OAuth 2.0 sign-in</source>
        <translation>OAuth-2.0-Anmeldung</translation>
    </message>
    <message>
        <source>&amp;Sign In…</source>
        <translation>&amp;Anmelden …</translation>
    </message>
    <message>
        <source>Sign &amp;Out</source>
        <translation>Ab&amp;melden</translation>
    </message>
    <message>
        <source>None — I paste an access token</source>
        <translation>Keiner – ich füge ein Zugriffstoken ein</translation>
    </message>
    <message>
        <source>Microsoft 365 / Outlook.com</source>
        <translation>Microsoft 365 / Outlook.com</translation>
    </message>
    <message>
        <source>Google / Gmail</source>
        <translation>Google / Gmail</translation>
    </message>
    <message>
        <source>Other provider</source>
        <translation>Anderer Anbieter</translation>
    </message>
    <message>
        <source>Who issues the access tokens. Relaydeck signs in with your own app registration and refreshes the tokens itself.</source>
        <translation>Wer die Zugriffstokens ausstellt. Relaydeck meldet sich mit Ihrer eigenen App-Registrierung an und erneuert die Tokens selbst.</translation>
    </message>
    <message>
        <source>common, organizations, consumers, or your directory (tenant) id or domain, e.g. contoso.onmicrosoft.com</source>
        <translation>common, organizations, consumers oder Ihre Verzeichnis-(Mandanten-)ID bzw. Domain, z. B. contoso.onmicrosoft.com</translation>
    </message>
    <message>
        <source>The application (client) id of your own app registration.</source>
        <translation>Die Anwendungs-(Client-)ID Ihrer eigenen App-Registrierung.</translation>
    </message>
    <message>
        <source>only if the provider issued one</source>
        <translation>nur, wenn der Anbieter eines ausgestellt hat</translation>
    </message>
    <message>
        <source>Google's desktop apps have one; Microsoft's public clients have none. It is kept in the system keychain.</source>
        <translation>Desktop-Apps bei Google haben eines, öffentliche Clients bei Microsoft keines. Es wird im Schlüsselbund des Systems aufbewahrt.</translation>
    </message>
    <message>
        <source>optional: for signing in on another device</source>
        <translation>optional: zum Anmelden auf einem anderen Gerät</translation>
    </message>
    <message>
        <source>P&amp;rovider:</source>
        <translation>A&amp;nbieter:</translation>
    </message>
    <message>
        <source>&amp;Tenant:</source>
        <translation>Man&amp;dant:</translation>
    </message>
    <message>
        <source>&amp;Client ID:</source>
        <translation>&amp;Client-ID:</translation>
    </message>
    <message>
        <source>Cl&amp;ient secret:</source>
        <translation>Client-&amp;Geheimnis:</translation>
    </message>
    <message>
        <source>&amp;Authorization URL:</source>
        <translation>Autori&amp;sierungs-URL:</translation>
    </message>
    <message>
        <source>To&amp;ken URL:</source>
        <translation>To&amp;ken-URL:</translation>
    </message>
    <message>
        <source>&amp;Device authorization URL:</source>
        <translation>Geräteautorisierungs-U&amp;RL:</translation>
    </message>
    <message>
        <source>Sco&amp;pe:</source>
        <translation>Bereich (Sc&amp;ope):</translation>
    </message>
    <message>
        <source>Opens the provider's sign-in page in the system browser; the refresh token goes to the system keychain.</source>
        <translation>Öffnet die Anmeldeseite des Anbieters im Browser des Systems; das Aktualisierungstoken kommt in den Schlüsselbund des Systems.</translation>
    </message>
    <message>
        <source>reading from the keychain…</source>
        <translation>wird aus dem Schlüsselbund gelesen …</translation>
    </message>
    <message>
        <source>e.g. the mail scope and offline_access</source>
        <translation>z. B. der Mail-Bereich und offline_access</translation>
    </message>
    <message>
        <source>Register an app once: 1. Microsoft Entra admin center → App registrations → New registration. 2. Authentication → Add a platform → Mobile and desktop applications, redirect URI http://localhost; allow public client flows. 3. API permissions → Microsoft Graph → delegated: SMTP.Send, offline_access. Enter its Application (client) ID and Directory (tenant) ID here.</source>
        <translation>Registrieren Sie einmal eine App: 1. Microsoft Entra Admin Center → App-Registrierungen → Neue Registrierung. 2. Authentifizierung → Plattform hinzufügen → Mobile Anwendungen und Desktopanwendungen, Umleitungs-URI http://localhost; öffentliche Clientflows zulassen. 3. API-Berechtigungen → Microsoft Graph → delegiert: SMTP.Send, offline_access. Geben Sie hier ihre Anwendungs-(Client-)ID und Verzeichnis-(Mandanten-)ID ein.</translation>
    </message>
    <message>
        <source>Register an app once: 1. Google Cloud console → APIs &amp; Services → OAuth consent screen, add the scope https://mail.google.com/. 2. Credentials → Create credentials → OAuth client ID, type Desktop app. 3. Enter its client ID and client secret here.</source>
        <translation>Registrieren Sie einmal eine App: 1. Google Cloud Console → APIs &amp; Dienste → OAuth-Zustimmungsbildschirm, den Bereich https://mail.google.com/ hinzufügen. 2. Anmeldedaten → Anmeldedaten erstellen → OAuth-Client-ID, Typ Desktop-App. 3. Geben Sie hier ihre Client-ID und ihr Client-Geheimnis ein.</translation>
    </message>
    <message>
        <source>Register Relaydeck as a public (native) client with the redirect URI http://127.0.0.1 and PKCE, and enter its endpoints here.</source>
        <translation>Registrieren Sie Relaydeck als öffentlichen (nativen) Client mit der Umleitungs-URI http://127.0.0.1 und PKCE, und geben Sie hier die Endpunkte des Anbieters ein.</translation>
    </message>
    <message>
        <source>Relaydeck does not fetch tokens: paste a current access token as the password.</source>
        <translation>Relaydeck holt keine Tokens: Fügen Sie ein aktuelles Zugriffstoken als Passwort ein.</translation>
    </message>
    <message>
        <source>Not signed in: tests cannot get an access token.</source>
        <translation>Nicht angemeldet: Tests können kein Zugriffstoken bekommen.</translation>
    </message>
    <message>
        <source>Waiting for the sign-in in the browser…</source>
        <translation>Warten auf die Anmeldung im Browser …</translation>
    </message>
    <message>
        <source>Signed in.</source>
        <translation>Angemeldet.</translation>
    </message>
    <message>
        <source>Signed in as %1.</source>
        <translation>Angemeldet als %1.</translation>
    </message>
    <message>
        <source>The access token is valid until %1.</source>
        <translation>Das Zugriffstoken ist gültig bis %1.</translation>
    </message>
    <message>
        <source>The next test fetches a new access token.</source>
        <translation>Der nächste Test holt ein neues Zugriffstoken.</translation>
    </message>
    <message>
        <source>Sign-in failed: %1</source>
        <translation>Anmeldung fehlgeschlagen: %1</translation>
    </message>
</context>
<context>
    <name>relaydeck::ui::OAuthSignInController</name>
    <message>
        <source>The system browser could not be opened.</source>
        <translation>Der Browser des Systems konnte nicht geöffnet werden.</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>The provider issued no refresh token: add offline_access (or the provider's equivalent) to the scope.</source>
        <translation>Der Anbieter hat kein Aktualisierungstoken ausgegeben: Nehmen Sie offline_access (oder das Gegenstück des Anbieters) in den Scope auf.</translation>
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
        <source>Search providers</source>
        <translation>Anbieter suchen</translation>
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
        <source>Region: %1 (it is part of the server name; to change it, create the connection from the preset again).</source>
        <translation>Region: %1 (Teil des Servernamens; um sie zu ändern, legen Sie die Verbindung erneut aus der Vorlage an).</translation>
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
    <name>relaydeck::ui::TestAllController</name>
    <message>
        <source>Testing all connections: %1 of %2 done…</source>
        <translation>Alle Verbindungen werden getestet: %1 von %2 erledigt …</translation>
    </message>
    <message>
        <source>Test all finished: %1 passed, %2 failed, %3 not tested.</source>
        <translation>Alle getestet: %1 bestanden, %2 fehlgeschlagen, %3 nicht getestet.</translation>
    </message>
</context>
<context>
    <name>relaydeck::ui::TestAllResultsDialog</name>
    <message>
        <source>&amp;Copy Report</source>
        <translation>Bericht &amp;kopieren</translation>
    </message>
    <message>
        <source>&amp;Save Report…</source>
        <translation>Bericht &amp;speichern…</translation>
    </message>
    <message>
        <source>Test All Results</source>
        <translation>Ergebnisse von „Alle testen“</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Verbindung</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Hint</source>
        <translation>Hinweis</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>wartet</translation>
    </message>
    <message>
        <source>testing…</source>
        <translation>wird getestet…</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>passed</source>
        <translation>bestanden</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>not tested</source>
        <translation>nicht getestet</translation>
    </message>
    <message>
        <source>%1 passed, %2 failed, %3 not tested.</source>
        <translation>%1 bestanden, %2 fehlgeschlagen, %3 nicht getestet.</translation>
    </message>
    <message numerus="yes">
        <source>Testing %n connection(s)…</source>
        <translation>
            <numerusform>Teste %n Verbindung…</numerusform>
            <numerusform>Teste %n Verbindungen…</numerusform>
        </translation>
    </message>
    <message>
        <source>Test all finished:</source>
        <translation>„Alle testen“ abgeschlossen:</translation>
    </message>
    <message>
        <source>Relaydeck Test all</source>
        <translation>Relaydeck – Alle testen</translation>
    </message>
    <message>
        <source>Save Test All Report</source>
        <translation>Bericht von „Alle testen“ speichern</translation>
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
        <source>Tested with unsaved changes: the connection list keeps the saved connection's last result.</source>
        <translation>Mit ungespeicherten Änderungen getestet: Die Verbindungsliste behält das letzte Ergebnis der gespeicherten Verbindung.</translation>
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
        <source>Reading the password for %1…</source>
        <translation>Passwort für %1 wird gelesen …</translation>
    </message>
    <message>
        <source>Getting an OAuth access token for %1…</source>
        <translation>OAuth-Zugriffstoken für %1 wird geholt …</translation>
    </message>
    <message>
        <source>Testing %1:%2…</source>
        <translation>%1:%2 wird getestet …</translation>
    </message>
    <message>
        <source>Cancelled while reading the password.</source>
        <translation>Abgebrochen, während das Passwort gelesen wurde.</translation>
    </message>
    <message>
        <source>Cancelled while getting the access token.</source>
        <translation>Abgebrochen, während das Zugriffstoken geholt wurde.</translation>
    </message>
    <message>
        <source>%1: done</source>
        <translation>%1: erledigt</translation>
    </message>
    <message>
        <source>%1: failed</source>
        <translation>%1: fehlgeschlagen</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>Time from the start of the test to the verdict</source>
        <translation>Zeit vom Start des Tests bis zum Ergebnis</translation>
    </message>
    <message>
        <source>The server said: %1</source>
        <translation>Der Server antwortete: %1</translation>
    </message>
    <message>
        <source>Details: %1</source>
        <translation>Einzelheiten: %1</translation>
    </message>
    <message>
        <source>Warning: %1</source>
        <translation>Warnung: %1</translation>
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
        <source>trusted by pin</source>
        <translation>per Pin vertraut</translation>
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
        <source>Overridden by the pin</source>
        <translation>Durch den Pin übergangen</translation>
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
        <source>Not Trusted</source>
        <translation>Nicht vertraut</translation>
    </message>
    <message>
        <source>Save Test Report</source>
        <translation>Testbericht speichern</translation>
    </message>
</context>
<context>
    <name>relaydeck::ui::WindowBanners</name>
    <message>
        <source>Relaydeck will use the keychain again. Save a connection to store its password there.</source>
        <translation>Relaydeck verwendet den Schlüsselbund wieder. Speichern Sie eine Verbindung, um ihr Passwort dort abzulegen.</translation>
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
        <source>The connections cannot be read, so nothing can be changed until this is fixed: %1</source>
        <translation>Die Verbindungen können nicht gelesen werden; bis das behoben ist, lässt sich nichts ändern: %1</translation>
    </message>
    <message>
        <source>&amp;Reload</source>
        <translation>&amp;Neu laden</translation>
    </message>
</context>
</TS>
