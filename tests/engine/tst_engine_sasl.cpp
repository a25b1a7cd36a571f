// Engine against scripted servers: the SASL mechanisms of issue 5 over STARTTLS — SCRAM-SHA-1 and
// SCRAM-SHA-256 against a server that really computes its side (a wrong or missing server
// signature fails), OAUTHBEARER and XOAUTH2 with their error challenges, NTLMv2 against a fixed
// CHALLENGE_MESSAGE, ANONYMOUS, EXTERNAL with a TLS client certificate, a mechanism the server
// drops after TLS, what `auto` picks and never picks, and a transcript without SASL payloads.
//
// The server side of SCRAM and NTLM is computed here, independently of core/smtp/sasl (PBKDF2
// from QPasswordDigestor, HMACs from QMessageAuthenticationCode): the server answers 235 only
// when the client's proof checks out, so a client that computes the wrong thing fails.

#include "EngineRun.h"
#include "EngineScripts.h"
#include "ScriptedSmtpServer.h"
#include "TestCertificates.h"
#include "smtp/ErrorIds.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QMessageAuthenticationCode>
#include <QPasswordDigestor>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

#include <optional>

using namespace relaydeck;
using namespace relaydeck::test;
using namespace Qt::StringLiterals;

namespace {

const QByteArray User = ScriptedUser;
const QByteArray Password = ScriptedPassword;
const QByteArray Token = "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg";
const QByteArray ClientKeyPassphrase = "client-key-passphrase-7Qz";
// The servers' JSON error challenges (RFC 7628 section 3.2.2; Google's XOAUTH2). Plain string
// literals: Qt 6.4's moc loses the rest of the file after a raw string literal holding an odd
// number of double quotes (as a JSON document split over several literals does).
const QByteArray OAuthBearerError =
    "{\"status\":\"invalid_token\",\"scope\":\"https://mail.google.com/\","
    "\"openid-configuration\":\"https://accounts.google.com/.well-known/openid-configuration\"}";
const QByteArray XOAuth2Error =
    "{\"status\":\"401\",\"schemes\":\"bearer\",\"scope\":\"https://mail.google.com/\"}";
const QString Base64Line = u"^[A-Za-z0-9+/]+=*$"_s;

QByteArray randomBytes(int size)
{
    QByteArray bytes(size, '\0');
    for (char& byte : bytes)
        byte = static_cast<char>(QRandomGenerator::global()->bounded(256));
    return bytes;
}

QByteArray xorBytes(QByteArray a, const QByteArray& b)
{
    for (qsizetype i = 0; i < a.size() && i < b.size(); ++i)
        a[i] = static_cast<char>(a.at(i) ^ b.at(i));
    return a;
}

std::optional<QByteArray> fromBase64(const QByteArray& text)
{
    const auto decoded =
        QByteArray::fromBase64Encoding(text, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    return decoded.decoded;
}

// The decoded initial response of "AUTH <mechanism> <base64>"; nullopt when the line is not that.
std::optional<QByteArray> initialResponse(const QByteArray& line, const QByteArray& mechanism)
{
    const QList<QByteArray> words = line.split(' ');
    if (words.size() != 3 || words.at(0) != "AUTH" || words.at(1) != mechanism)
        return std::nullopt;
    if (words.at(2) == "=")
        return QByteArray();
    return fromBase64(words.at(2));
}

// --- the server side of SCRAM (RFC 5802) ----------------------------------------------------

class ScramServer
{
public:
    enum class Ending
    {
        Signature,      // "334 v=<correct signature>", then 235 after the client's empty line
        WrongSignature, // "334 v=<a signature with one bit flipped>"
        NoSignature,    // 235 straight after a valid proof, without v=
    };

    ScramServer(QCryptographicHash::Algorithm algorithm, const QByteArray& mechanism,
                const QByteArray& user, const QByteArray& password, Ending ending)
        : m_algorithm(algorithm)
        , m_mechanism(mechanism)
        , m_user(user)
        , m_password(password)
        , m_ending(ending)
        , m_salt(randomBytes(16))
        , m_serverNonce(randomBytes(18).toBase64())
    {}

    // "AUTH SCRAM-... <client-first>" -> "334 <server-first>".
    QByteArray serverFirst(const QByteArray& authLine)
    {
        const auto clientFirst = initialResponse(authLine, m_mechanism);
        if (!clientFirst)
            return problem(u"not an AUTH line with an initial response: "_s +
                           QString::fromLatin1(authLine));
        // No channel binding and no authorisation identity: "n,,".
        if (!clientFirst->startsWith("n,,"))
            return problem(u"the GS2 header is not \"n,,\": "_s + QString::fromUtf8(*clientFirst));
        m_clientFirstBare = clientFirst->mid(3);
        const QList<QByteArray> attributes = m_clientFirstBare.split(',');
        if (attributes.size() != 2 || attributes.at(0) != "n=" + m_user ||
            !attributes.at(1).startsWith("r=") || attributes.at(1).size() < 2 + 16)
            return problem(u"unexpected client-first-message-bare: "_s +
                           QString::fromUtf8(m_clientFirstBare));
        m_clientNonce = attributes.at(1).mid(2);
        m_serverFirst = "r=" + m_clientNonce + m_serverNonce + ",s=" + m_salt.toBase64() +
                        ",i=" + QByteArray::number(Iterations);
        return "334 " + m_serverFirst.toBase64();
    }

    // "<client-final>" -> the ending, or 535 when the proof is wrong.
    QByteArray serverFinal(const QByteArray& line)
    {
        const auto clientFinal = fromBase64(line);
        if (!clientFinal)
            return problem(u"client-final-message is not base64"_s);
        const QByteArray expectedStart = "c=biws,r=" + m_clientNonce + m_serverNonce + ",p=";
        if (!clientFinal->startsWith(expectedStart))
            return problem(u"client-final-message does not start with "_s +
                           QString::fromLatin1(expectedStart) + u": "_s +
                           QString::fromUtf8(*clientFinal));
        const auto proof = fromBase64(clientFinal->mid(expectedStart.size()));
        const int hashSize = QCryptographicHash::hashLength(m_algorithm);
        if (!proof || proof->size() != hashSize)
            return problem(u"the client proof is not a base64 %1-byte value"_s.arg(hashSize));

        const QByteArray authMessage = m_clientFirstBare + ',' + m_serverFirst + ',' +
                                       expectedStart.chopped(3); // without ",p="
        const QByteArray salted = QPasswordDigestor::deriveKeyPbkdf2(
            m_algorithm, m_password, m_salt, Iterations, quint64(hashSize));
        const QByteArray storedKey =
            QCryptographicHash::hash(hmac(salted, "Client Key"), m_algorithm);
        const QByteArray clientKey = xorBytes(*proof, hmac(storedKey, authMessage));
        if (QCryptographicHash::hash(clientKey, m_algorithm) != storedKey)
            return "535 5.7.8 Authentication credentials invalid";
        m_proofVerified = true;

        QByteArray signature = hmac(hmac(salted, "Server Key"), authMessage);
        switch (m_ending) {
        case Ending::Signature:
            break;
        case Ending::WrongSignature:
            signature[0] = static_cast<char>(signature.at(0) ^ 0x01);
            break;
        case Ending::NoSignature:
            return "235 2.7.0 Authentication successful";
        }
        return "334 " + QByteArray("v=" + signature.toBase64()).toBase64();
    }

    bool proofVerified() const { return m_proofVerified; }
    QString problemText() const { return m_problem; }

private:
    static constexpr int Iterations = 4096;

    QByteArray hmac(const QByteArray& key, const QByteArray& data) const
    {
        return QMessageAuthenticationCode::hash(data, key, m_algorithm);
    }

    QByteArray problem(const QString& text)
    {
        m_problem = text;
        return {}; // an empty computed reply fails the script
    }

    QCryptographicHash::Algorithm m_algorithm;
    QByteArray m_mechanism;
    QByteArray m_user;
    QByteArray m_password;
    Ending m_ending;
    QByteArray m_salt;
    QByteArray m_serverNonce;
    QByteArray m_clientNonce;
    QByteArray m_clientFirstBare;
    QByteArray m_serverFirst;
    bool m_proofVerified = false;
    QString m_problem;
};

// The SCRAM exchange after the second EHLO, up to the server's last reply.
SmtpScript scramExchange(ScramServer& scram, const QByteArray& mechanism)
{
    return SmtpScript()
        .expectMatch(u"^AUTH %1 [A-Za-z0-9+/]+=*$"_s.arg(QString::fromLatin1(mechanism)))
        .sendComputed([&scram](const QByteArray& line) { return scram.serverFirst(line); })
        .expectMatch(Base64Line)
        .sendComputed([&scram](const QByteArray& line) { return scram.serverFinal(line); });
}

// --- the server side of NTLMv2 ([MS-NLMP]) ---------------------------------------------------

QByteArray hex(const char* text)
{
    return QByteArray::fromHex(QByteArray(text));
}

// [MS-NLMP] 4.2.4.3: the CHALLENGE_MESSAGE of the spec's NTLMv2 example (Unicode, server
// challenge 0123456789abcdef, target "Server", NbDomainName "Domain", NbComputerName "Server",
// no timestamp).
const QByteArray NtlmChallenge =
    hex("4e544c4d53535000020000000c000c003800000033828ae20123456789abcdef"
        "00000000000000002400240044000000060070170000000f5300650072007600"
        "650072000200"
        "0c0044006f006d00610069006e0001000c005300650072007600"
        "6500720000000000");
const QByteArray NtlmTargetInfo =
    hex("02000c0044006f006d00610069006e0001000c00530065007200760065007200"
        "00000000");
// Cyrus SASL's CHALLENGE_MESSAGE as Postfix relays it (libsasl2-modules' NTLM plugin): target
// name "LOCALHOST", no target information at all.
const QByteArray CyrusNtlmChallenge = QByteArray::fromBase64(
    "TlRMTVNTUAACAAAAEgASADAAAAAFggIARTIWRaO4qr4AAAAAAAAAAAAAAAAAAAAATABPAEMAQQBMAEgATwBTAFQA");

QByteArray utf16le(const QString& text)
{
    QByteArray bytes;
    for (const QChar c : text) {
        bytes += static_cast<char>(c.unicode() & 0xff);
        bytes += static_cast<char>(c.unicode() >> 8);
    }
    return bytes;
}

// Security buffer `index` of an AUTHENTICATE_MESSAGE (0 LM, 1 NT, 2 domain, 3 user,
// 4 workstation, 5 session key); nullopt when it points outside the message.
std::optional<QByteArray> ntlmField(const QByteArray& message, int index)
{
    const qsizetype at = 12 + 8 * index;
    if (message.size() < at + 8)
        return std::nullopt;
    const quint16 length = qFromLittleEndian<quint16>(message.constData() + at);
    const quint32 offset = qFromLittleEndian<quint32>(message.constData() + at + 4);
    if (quint64(offset) + length > quint64(message.size()))
        return std::nullopt;
    return message.mid(offset, length);
}

// Checks the client's AUTHENTICATE_MESSAGE against the account DOMAIN\user with `password`, as
// a server holding the password would, and answers 235 or 535. `challenge` is the
// CHALLENGE_MESSAGE it sent, `targetInfo` the AV pairs in it (empty: none, as Cyrus SASL).
class NtlmServer
{
public:
    NtlmServer(const QString& domain, const QString& user, const QString& password,
               const QByteArray& challenge = NtlmChallenge,
               const QByteArray& targetInfo = NtlmTargetInfo)
        : m_domain(domain)
        , m_user(user)
        , m_password(password)
        , m_serverChallenge(challenge.mid(24, 8))
        , m_targetInfo(targetInfo)
    {}

    QByteArray check(const QByteArray& line)
    {
        const auto message = fromBase64(line);
        if (!message || message->size() < 64 || !message->startsWith(QByteArray("NTLMSSP\0", 8)) ||
            qFromLittleEndian<quint32>(message->constData() + 8) != 3)
            return problem(u"not an NTLM AUTHENTICATE_MESSAGE"_s);
        const auto lm = ntlmField(*message, 0);
        const auto nt = ntlmField(*message, 1);
        const auto domain = ntlmField(*message, 2);
        const auto user = ntlmField(*message, 3);
        if (!lm || !nt || !domain || !user)
            return problem(u"a security buffer points outside the message"_s);
        if (*domain != utf16le(m_domain) || *user != utf16le(m_user))
            return problem(u"unexpected domain or user"_s);
        // NTLMv2 only: the NT response is NTProofStr (16) + a blob (28) with the server's target
        // info and 4 zero bytes; NTLMv1's is 24 bytes.
        if (nt->size() < 16 + 28 + 4)
            return problem(u"the NT response is not NTLMv2 (%1 bytes)"_s.arg(nt->size()));
        const QByteArray proof = nt->left(16);
        const QByteArray blob = nt->mid(16);
        if (!blob.startsWith(QByteArray("\x01\x01\0\0\0\0\0\0", 8)) ||
            blob.mid(28) != m_targetInfo + QByteArray(4, '\0'))
            return problem(u"the NTLMv2 blob does not carry the server's target info"_s);
        const QByteArray clientChallenge = blob.mid(16, 8);

        const QByteArray ntHash =
            QCryptographicHash::hash(utf16le(m_password), QCryptographicHash::Md4);
        const QByteArray key = hmacMd5(ntHash, utf16le(m_user.toUpper() + m_domain));
        if (hmacMd5(key, m_serverChallenge + blob) != proof)
            return "535 5.7.3 Authentication unsuccessful";
        // Without a server timestamp the LMv2 response is sent too, keyed the same way.
        if (*lm != hmacMd5(key, m_serverChallenge + clientChallenge) + clientChallenge)
            return problem(u"the LMv2 response is wrong"_s);
        m_verified = true;
        return "235 2.7.0 Authentication successful";
    }

    bool verified() const { return m_verified; }
    QString problemText() const { return m_problem; }

private:
    static QByteArray hmacMd5(const QByteArray& key, const QByteArray& data)
    {
        return QMessageAuthenticationCode::hash(data, key, QCryptographicHash::Md5);
    }

    QByteArray problem(const QString& text)
    {
        m_problem = text;
        return {};
    }

    QString m_domain;
    QString m_user;
    QString m_password;
    QByteArray m_serverChallenge;
    QByteArray m_targetInfo;
    bool m_verified = false;
    QString m_problem;
};

// --- a TLS client certificate signed by the test CA ------------------------------------------

struct ClientCertificate
{
    QString certificatePath;
    QString keyPath; // encrypted with ClientKeyPassphrase
    QSslCertificate certificate;
    QString error;
};

bool runOpenssl(const QString& directory, const QStringList& arguments, QString* error)
{
    QProcess openssl;
    openssl.setWorkingDirectory(directory);
    openssl.setProcessChannelMode(QProcess::MergedChannels);
    openssl.start(u"openssl"_s, arguments);
    // Test set-up only: blocking on a short local process is fine here.
    if (!openssl.waitForFinished(30000) || openssl.exitStatus() != QProcess::NormalExit ||
        openssl.exitCode() != 0) {
        *error = u"openssl "_s + arguments.join(u' ') + u" failed: "_s +
                 QString::fromLocal8Bit(openssl.readAll());
        return false;
    }
    return true;
}

ClientCertificate makeClientCertificate(const QString& directory)
{
    ClientCertificate result;
    const TestCertificates& certs = TestCertificates::instance();
    // TestCertificates keeps its CA key next to ca.pem.
    const QString caKey = certs.directory() + u"/ca.key"_s;
    if (!QFile::exists(caKey)) {
        result.error = u"the test CA's key is not at "_s + caKey;
        return result;
    }
    QFile extensions(directory + u"/client.ext"_s);
    if (!extensions.open(QIODevice::WriteOnly) ||
        extensions.write("basicConstraints = critical, CA:FALSE\n"
                         "keyUsage = critical, digitalSignature\n"
                         "extendedKeyUsage = clientAuth\n") <= 0) {
        result.error = u"cannot write "_s + extensions.fileName();
        return result;
    }
    extensions.close();
    const QString passout = u"pass:"_s + QString::fromLatin1(ClientKeyPassphrase);
    if (!runOpenssl(directory,
                    {u"req"_s, u"-new"_s, u"-newkey"_s, u"ec"_s, u"-pkeyopt"_s,
                     u"ec_paramgen_curve:prime256v1"_s, u"-keyout"_s, u"client.key"_s,
                     u"-passout"_s, passout, u"-out"_s, u"client.csr"_s, u"-subj"_s,
                     u"/CN=client.test"_s},
                    &result.error) ||
        !runOpenssl(directory,
                    {u"x509"_s, u"-req"_s, u"-in"_s, u"client.csr"_s, u"-CA"_s,
                     certs.caCertificatePath(), u"-CAkey"_s, caKey, u"-set_serial"_s, u"4242"_s,
                     u"-days"_s, u"3650"_s, u"-extfile"_s, u"client.ext"_s, u"-out"_s,
                     u"client.pem"_s},
                    &result.error))
        return result;
    result.certificatePath = directory + u"/client.pem"_s;
    result.keyPath = directory + u"/client.key"_s;
    const QList<QSslCertificate> loaded = QSslCertificate::fromPath(result.certificatePath);
    if (loaded.size() != 1)
        result.error = u"the generated client certificate cannot be read"_s;
    else
        result.certificate = loaded.first();
    return result;
}

// --- requests and checks ---------------------------------------------------------------------

SmtpScript quitAndClose()
{
    return SmtpScript().expect("QUIT").send("221 2.0.0 Bye").close();
}

} // namespace

class TestEngineSasl : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    ClientCertificate m_client;

private slots:
    void initTestCase()
    {
        QVERIFY2(TestCertificates::instance().isValid(),
                 qPrintable(TestCertificates::instance().errorString()));
        QVERIFY(m_dir.isValid());
        m_client = makeClientCertificate(m_dir.path());
        QVERIFY2(m_client.error.isEmpty(), qPrintable(m_client.error));
    }

    // --- SCRAM ---------------------------------------------------------------------------

    void scramSucceeds_data()
    {
        QTest::addColumn<int>("mechanism");
        QTest::addColumn<QByteArray>("offered");
        QTest::addColumn<int>("algorithm");
        QTest::addColumn<QByteArray>("expected");

        QTest::newRow("SCRAM-SHA-256")
            << int(AuthMechanism::ScramSha256) << QByteArray("AUTH PLAIN SCRAM-SHA-256")
            << int(QCryptographicHash::Sha256) << QByteArray("SCRAM-SHA-256");
        QTest::newRow("SCRAM-SHA-1")
            << int(AuthMechanism::ScramSha1) << QByteArray("AUTH SCRAM-SHA-1 PLAIN")
            << int(QCryptographicHash::Sha1) << QByteArray("SCRAM-SHA-1");
        // Engine rule 7 (docs/ARCHITECTURE.md) and issue 5: SCRAM-SHA-256 > SCRAM-SHA-1 > CRAM-MD5
        // > NTLM > PLAIN; token and identity-less mechanisms are never guessed.
        QTest::newRow("auto picks SCRAM-SHA-256 among everything")
            << int(AuthMechanism::Auto)
            << QByteArray("AUTH XOAUTH2 OAUTHBEARER ANONYMOUS EXTERNAL PLAIN LOGIN CRAM-MD5 NTLM "
                          "SCRAM-SHA-1 SCRAM-SHA-256")
            << int(QCryptographicHash::Sha256) << QByteArray("SCRAM-SHA-256");
        QTest::newRow("auto picks SCRAM-SHA-1 over CRAM-MD5 and PLAIN")
            << int(AuthMechanism::Auto) << QByteArray("AUTH PLAIN CRAM-MD5 SCRAM-SHA-1 XOAUTH2")
            << int(QCryptographicHash::Sha1) << QByteArray("SCRAM-SHA-1");
    }

    void scramSucceeds()
    {
        QFETCH(int, mechanism);
        QFETCH(QByteArray, offered);
        QFETCH(int, algorithm);
        QFETCH(QByteArray, expected);

        ScramServer scram(QCryptographicHash::Algorithm(algorithm), expected, User, Password,
                          ScramServer::Ending::Signature);
        ScriptedSmtpServer server(startTlsPrefix({}, {"PIPELINING", offered})
                                      .append(scramExchange(scram, expected))
                                      .expect("") // the client accepts the signature
                                      .send("235 2.7.0 Authentication successful")
                                      .append(quitAndClose()));
        presentLeaf(server, TestCertificates::Leaf::Localhost);
        QVERIFY(server.listen());
        const EngineRun run = runConnectionTest(authRequest(server, AuthMechanism(mechanism)));
        const QString context = explain(run, server, scram.problemText());

        QVERIFY2(run.finished, qPrintable(context));
        QVERIFY2(run.report.ok, qPrintable(context));
        QVERIFY2(server.failures().isEmpty(), qPrintable(context));
        QVERIFY2(server.scriptFinished(), qPrintable(context));
        QVERIFY(scram.proofVerified());
        QCOMPARE(run.report.auth.mechanism, QString::fromLatin1(expected));
        QVERIFY(run.report.auth.ok);
        QVERIFY(server.plaintextLines() == (QList<QByteArray>{"EHLO client.test", "STARTTLS"}));
        // EHLO, AUTH with client-first, client-final, the empty answer to v=, QUIT.
        QCOMPARE(server.tlsLines().size(), 5);
        const QString problem = secretProblem(run, server, {Password});
        QVERIFY2(problem.isEmpty(), qPrintable(problem + u"\n"_s + context));
    }

    void scramFails_data()
    {
        QTest::addColumn<int>("algorithm");
        QTest::addColumn<QByteArray>("mechanism");
        QTest::addColumn<int>("ending");
        QTest::addColumn<QByteArray>("serverPassword");
        QTest::addColumn<bool>("cancels");       // the client must answer "*"
        QTest::addColumn<QString>("messageHas"); // a word the error message must contain

        QTest::newRow("SCRAM-SHA-256, wrong server signature")
            << int(QCryptographicHash::Sha256) << QByteArray("SCRAM-SHA-256")
            << int(ScramServer::Ending::WrongSignature) << Password << true << u"signature"_s;
        QTest::newRow("SCRAM-SHA-1, wrong server signature")
            << int(QCryptographicHash::Sha1) << QByteArray("SCRAM-SHA-1")
            << int(ScramServer::Ending::WrongSignature) << Password << true << u"signature"_s;
        QTest::newRow("SCRAM-SHA-256, 235 without v=")
            << int(QCryptographicHash::Sha256) << QByteArray("SCRAM-SHA-256")
            << int(ScramServer::Ending::NoSignature) << Password << false << u"signature"_s;
        // The server knows another password: the client's proof does not verify.
        QTest::newRow("SCRAM-SHA-256, wrong password")
            << int(QCryptographicHash::Sha256) << QByteArray("SCRAM-SHA-256")
            << int(ScramServer::Ending::Signature) << QByteArray("another password") << false
            << u"535"_s;
    }

    void scramFails()
    {
        QFETCH(int, algorithm);
        QFETCH(QByteArray, mechanism);
        QFETCH(int, ending);
        QFETCH(QByteArray, serverPassword);
        QFETCH(bool, cancels);
        QFETCH(QString, messageHas);

        ScramServer scram(QCryptographicHash::Algorithm(algorithm), mechanism, User, serverPassword,
                          ScramServer::Ending(ending));
        SmtpScript script =
            startTlsPrefix({}, {"AUTH PLAIN " + mechanism}).append(scramExchange(scram, mechanism));
        if (cancels)
            script.expect("*").send("501 5.7.0 Authentication cancelled");
        script.append(quitAndClose());
        ScriptedSmtpServer server(script);
        presentLeaf(server, TestCertificates::Leaf::Localhost);
        QVERIFY(server.listen());
        const AuthMechanism chosen =
            mechanism == "SCRAM-SHA-1" ? AuthMechanism::ScramSha1 : AuthMechanism::ScramSha256;
        const EngineRun run = runConnectionTest(authRequest(server, chosen));
        const QString context = explain(run, server, scram.problemText());

        QVERIFY2(run.finished, qPrintable(context));
        QVERIFY2(!run.report.ok, qPrintable(context));
        QCOMPARE(run.report.error.id, ErrorId::AuthFailed);
        QCOMPARE(run.report.error.stage, StageId::Auth);
        QVERIFY2(run.report.error.message.contains(messageHas), qPrintable(context));
        QVERIFY2(!run.report.error.hint.isEmpty(), qPrintable(context));
        QVERIFY(run.report.auth.attempted);
        QVERIFY(!run.report.auth.ok);
        // Every failure here is at a command boundary: the script (with its "*" when the client
        // must cancel) played to the end, QUIT included.
        QVERIFY2(server.failures().isEmpty(), qPrintable(context));
        QVERIFY2(server.scriptFinished(), qPrintable(context));
        QCOMPARE(server.tlsLines().contains("*"), cancels);
        QCOMPARE(scram.proofVerified(), serverPassword == Password);
        const QString problem = secretProblem(run, server, {Password});
        QVERIFY2(problem.isEmpty(), qPrintable(problem + u"\n"_s + context));
    }

    // --- OAuth ---------------------------------------------------------------------------

    void oauthBearerSucceeds()
    {
        // RFC 7628 section 4.1, with the host and port this client connects to.
        quint16 port = 0;
        QByteArray received;
        ScriptedSmtpServer server(
            startTlsPrefix({}, {"AUTH OAUTHBEARER XOAUTH2"})
                .expectMatch(u"^AUTH OAUTHBEARER [A-Za-z0-9+/]+=*$"_s)
                .sendComputed([&port, &received](const QByteArray& line) -> QByteArray {
                    received = initialResponse(line, "OAUTHBEARER").value_or("<not base64>");
                    const QByteArray expected =
                        "n,a=" + User + ",\x01host=127.0.0.1\x01port=" + QByteArray::number(port) +
                        "\x01" + "auth=Bearer " + Token + "\x01\x01";
                    return received == expected ? "235 2.7.0 Accepted"
                                                : "535 5.7.8 Unexpected OAUTHBEARER message";
                })
                .append(quitAndClose()));
        presentLeaf(server, TestCertificates::Leaf::Localhost);
        QVERIFY(server.listen());
        port = server.port();
        const EngineRun run =
            runConnectionTest(authRequest(server, AuthMechanism::OAuthBearer, User, Token));
        const QString context = explain(
            run, server, u"received: "_s + QString::fromUtf8(received).replace(u'\x01', u"^A"_s));

        QVERIFY2(run.finished, qPrintable(context));
        QVERIFY2(run.report.ok, qPrintable(context));
        QVERIFY2(server.failures().isEmpty(), qPrintable(context));
        QCOMPARE(run.report.auth.mechanism, u"OAUTHBEARER"_s);
        QCOMPARE(server.tlsLines().size(), 3); // EHLO, AUTH with the initial response, QUIT
        const QString problem = secretProblem(run, server, {Token});
        QVERIFY2(problem.isEmpty(), qPrintable(problem + u"\n"_s + context));
    }

    void tokenErrorChallenge_data()
    {
        QTest::addColumn<int>("mechanism");
        QTest::addColumn<QByteArray>("error");  // the server's JSON error
        QTest::addColumn<QByteArray>("answer"); // the client's line answering it

        // RFC 7628 section 3.2.2 / 4.3: the client answers the error with a lone \x01 (AQ==).
        QTest::newRow("OAUTHBEARER")
            << int(AuthMechanism::OAuthBearer) << OAuthBearerError << QByteArray("AQ==");
        // Google's XOAUTH2: the error is answered with an empty line.
        QTest::newRow("XOAUTH2") << int(AuthMechanism::XOAuth2) << XOAuth2Error << QByteArray("");
    }

    void tokenErrorChallenge()
    {
        QFETCH(int, mechanism);
        QFETCH(QByteArray, error);
        QFETCH(QByteArray, answer);
        const QByteArray name =
            mechanism == int(AuthMechanism::OAuthBearer) ? "OAUTHBEARER" : "XOAUTH2";

        ScriptedSmtpServer server(
            startTlsPrefix({}, {"AUTH " + name})
                .expectMatch(u"^AUTH %1 [A-Za-z0-9+/]+=*$"_s.arg(QString::fromLatin1(name)))
                .send("334 " + error.toBase64())
                .expect(answer)
                .send("535-5.7.8 Username and Password not accepted.\r\n"
                      "535 5.7.8 https://support.google.com/mail/?p=BadCredentials")
                .append(quitAndClose()));
        presentLeaf(server, TestCertificates::Leaf::Localhost);
        QVERIFY(server.listen());
        const EngineRun run =
            runConnectionTest(authRequest(server, AuthMechanism(mechanism), User, Token));
        const QString context = explain(run, server);

        QVERIFY2(run.finished, qPrintable(context));
        QCOMPARE(run.report.error.id, ErrorId::AuthFailed);
        QCOMPARE(run.report.error.stage, StageId::Auth);
        QVERIFY2(run.report.error.serverReply.startsWith(u"535"_s), qPrintable(context));
        QVERIFY2(server.failures().isEmpty(), qPrintable(context));
        QVERIFY2(server.scriptFinished(), qPrintable(context));
        // The hint is about the token, not a password: expiry and scope.
        const QString hint = run.report.error.hint;
        QVERIFY2(hint.contains(u"token"_s) && hint.contains(u"scope"_s), qPrintable(context));
        QVERIFY2(!hint.contains(u"app password"_s), qPrintable(context));
        const QString problem = secretProblem(run, server, {Token});
        QVERIFY2(problem.isEmpty(), qPrintable(problem + u"\n"_s + context));
    }

    // --- NTLM ----------------------------------------------------------------------------

    // Exim's spa authenticator (NTLMv1 only) sends this 48-byte CHALLENGE_MESSAGE: flags 0x8201
    // (Unicode, NTLM, always sign), no target name, no target information. Relaydeck does not
    // use NTLMv1: it cancels the exchange itself, so the verdict is about the mechanism, the
    // server's 334 is no reply to blame, and the hint names the server's other mechanisms.
    void ntlmV1OnlyServerIsMechanismUnavailable()
    {
        const QByteArray eximChallenge =
            hex("4e544c4d53535000020000000000000000280000018200008961be90f1aaaaaf"
                "00000000000000000000000000000000");
        ScriptedSmtpServer server(
            startTlsPrefix({}, {"AUTH NTLM CRAM-MD5 LOGIN"})
                .expectMatch(u"^AUTH NTLM TlRMTVNTUAABAAAA[A-Za-z0-9+/]+=*$"_s)
                .send("334 " + eximChallenge.toBase64())
                .expect("*")
                .send("501 Authentication cancelled")
                .append(quitAndClose()));
        presentLeaf(server, TestCertificates::Leaf::Localhost);
        QVERIFY(server.listen());
        const EngineRun run =
            runConnectionTest(authRequest(server, AuthMechanism::Ntlm, "User", "Password"));
        const QString context = explain(run, server);
        QVERIFY2(run.finished, qPrintable(context));
        QVERIFY2(server.failures().isEmpty(), qPrintable(context));
        QVERIFY2(server.scriptFinished(), qPrintable(context));
        QCOMPARE(run.report.error.id, ErrorId::AuthMechanismUnavailable);
        QCOMPARE(run.report.error.stage, StageId::Auth);
        QVERIFY2(run.report.error.message.contains(u"NTLMv1"_s), qPrintable(context));
        QCOMPARE(run.report.error.serverReply, QString());
        QVERIFY2(run.report.error.hint.contains(u"CRAM-MD5, LOGIN"_s), qPrintable(context));
        QVERIFY2(run.report.error.hint.contains(u"cram-md5"_s), qPrintable(context));
        QVERIFY2(!run.report.error.hint.contains(u"password"_s), qPrintable(context));
    }

    void ntlm_data()
    {
        QTest::addColumn<int>("mechanism");
        QTest::addColumn<QByteArray>("offered");
        QTest::addColumn<QString>("serverPassword");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QByteArray>("challenge");
        QTest::addColumn<QByteArray>("targetInfo");

        QTest::newRow("NTLM") << int(AuthMechanism::Ntlm) << QByteArray("AUTH NTLM LOGIN")
                              << u"Password"_s << true << NtlmChallenge << NtlmTargetInfo;
        QTest::newRow("auto picks NTLM over PLAIN and LOGIN")
            << int(AuthMechanism::Auto) << QByteArray("AUTH LOGIN PLAIN NTLM XOAUTH2")
            << u"Password"_s << true << NtlmChallenge << NtlmTargetInfo;
        QTest::newRow("NTLM, wrong password")
            << int(AuthMechanism::Ntlm) << QByteArray("AUTH NTLM") << u"other"_s << false
            << NtlmChallenge << NtlmTargetInfo;
        // Cyrus SASL (Postfix): no target information; NTLMv2 with an empty AV_PAIR list.
        QTest::newRow("Cyrus, no target info")
            << int(AuthMechanism::Ntlm) << QByteArray("AUTH NTLM") << u"Password"_s << true
            << CyrusNtlmChallenge << QByteArray();
        QTest::newRow("Cyrus, no target info, wrong password")
            << int(AuthMechanism::Ntlm) << QByteArray("AUTH NTLM") << u"other"_s << false
            << CyrusNtlmChallenge << QByteArray();
    }

    void ntlm()
    {
        QFETCH(int, mechanism);
        QFETCH(QByteArray, offered);
        QFETCH(QString, serverPassword);
        QFETCH(bool, ok);
        QFETCH(QByteArray, challenge);
        QFETCH(QByteArray, targetInfo);

        NtlmServer ntlm(u"Domain"_s, u"User"_s, serverPassword, challenge, targetInfo);
        // The NEGOTIATE_MESSAGE goes with AUTH: base64 of "NTLMSSP\0\1\0\0\0".
        ScriptedSmtpServer server(
            startTlsPrefix({}, {offered})
                .expectMatch(u"^AUTH NTLM TlRMTVNTUAABAAAA[A-Za-z0-9+/]+=*$"_s)
                .send("334 " + challenge.toBase64())
                .expectMatch(Base64Line)
                .sendComputed([&ntlm](const QByteArray& line) { return ntlm.check(line); })
                .append(quitAndClose()));
        presentLeaf(server, TestCertificates::Leaf::Localhost);
        QVERIFY(server.listen());
        const EngineRun run = runConnectionTest(
            authRequest(server, AuthMechanism(mechanism), "Domain\\User", "Password"));
        const QString context = explain(run, server, ntlm.problemText());

        QVERIFY2(run.finished, qPrintable(context));
        QVERIFY2(server.failures().isEmpty(), qPrintable(context));
        QVERIFY2(server.scriptFinished(), qPrintable(context));
        QCOMPARE(run.report.auth.mechanism, u"NTLM"_s);
        QCOMPARE(ntlm.verified(), ok);
        QCOMPARE(run.report.ok, ok);
        if (!ok) {
            QCOMPARE(run.report.error.id, ErrorId::AuthFailed);
            QVERIFY(run.report.error.serverReply.startsWith(u"535"_s));
        }
        QCOMPARE(server.tlsLines().size(), 4); // EHLO, AUTH NTLM <negotiate>, authenticate, QUIT
        const QString problem = secretProblem(run, server, {"Password"});
        QVERIFY2(problem.isEmpty(), qPrintable(problem + u"\n"_s + context));
    }

    // --- ANONYMOUS and EXTERNAL ----------------------------------------------------------

    void anonymous_data()
    {
        QTest::addColumn<QByteArray>("trace");
        QTest::addColumn<QByteArray>("authLine");
        QTest::newRow("with trace")
            << QByteArray("tester@client.test")
            << "AUTH ANONYMOUS " + QByteArray("tester@client.test").toBase64();
        QTest::newRow("empty trace") << QByteArray() << QByteArray("AUTH ANONYMOUS =");
    }

    void anonymous()
    {
        QFETCH(QByteArray, trace);
        QFETCH(QByteArray, authLine);
        ScriptedSmtpServer server(startTlsPrefix({}, {"AUTH ANONYMOUS PLAIN"})
                                      .expect(authLine)
                                      .send("235 2.7.0 Anonymous access granted")
                                      .append(quitAndClose()));
        presentLeaf(server, TestCertificates::Leaf::Localhost);
        QVERIFY(server.listen());
        const EngineRun run =
            runConnectionTest(authRequest(server, AuthMechanism::Anonymous, trace, {}));
        const QString context = explain(run, server);

        QVERIFY2(run.finished, qPrintable(context));
        QVERIFY2(run.report.ok, qPrintable(context));
        QVERIFY2(server.failures().isEmpty(), qPrintable(context));
        QVERIFY2(server.scriptFinished(), qPrintable(context));
        QCOMPARE(run.report.auth.mechanism, u"ANONYMOUS"_s);
        QVERIFY(run.report.auth.ok);
        const QString problem = secretProblem(run, server, {});
        QVERIFY2(problem.isEmpty(), qPrintable(problem + u"\n"_s + context));
    }

    void externalWithClientCertificate_data()
    {
        QTest::addColumn<QByteArray>("authzid");
        QTest::addColumn<QByteArray>("authLine");
        // RFC 4422 appendix A: an empty message asks for the identity of the certificate.
        QTest::newRow("identity from the certificate")
            << QByteArray() << QByteArray("AUTH EXTERNAL =");
        QTest::newRow("authorisation identity") << User << "AUTH EXTERNAL " + User.toBase64();
    }

    void externalWithClientCertificate()
    {
        QFETCH(QByteArray, authzid);
        QFETCH(QByteArray, authLine);
        ScriptedSmtpServer server(startTlsPrefix({}, {"AUTH EXTERNAL PLAIN"})
                                      .expect(authLine)
                                      .send("235 2.7.0 Authenticated by certificate")
                                      .append(quitAndClose()));
        presentLeaf(server, TestCertificates::Leaf::Localhost);
        server.requireClientCertificate({TestCertificates::instance().caCertificate()});
        QVERIFY(server.listen());
        TestRequest request = authRequest(server, AuthMechanism::External, authzid, {});
        request.profile.tls.clientCertificateFile = m_client.certificatePath;
        request.profile.tls.clientKeyFile = m_client.keyPath;
        request.secrets.clientKeyPassphrase = QString::fromLatin1(ClientKeyPassphrase);
        const EngineRun run = runConnectionTest(request);
        const QString context = explain(run, server, u"server TLS error: "_s + server.tlsError());

        QVERIFY2(run.finished, qPrintable(context));
        QVERIFY2(run.report.ok, qPrintable(context));
        QVERIFY2(server.failures().isEmpty(), qPrintable(context));
        QVERIFY2(server.scriptFinished(), qPrintable(context));
        // The server asked for, verified and saw exactly our certificate.
        QVERIFY(server.tlsEstablished());
        QCOMPARE(server.clientCertificate(), m_client.certificate);
        QCOMPARE(run.report.auth.mechanism, u"EXTERNAL"_s);
        QVERIFY(run.report.auth.ok);
        const QString problem = secretProblem(run, server, {ClientKeyPassphrase});
        QVERIFY2(problem.isEmpty(), qPrintable(problem + u"\n"_s + context));
    }

    // --- Kerberos (GSSAPI) -----------------------------------------------------------------

    // No ticket in the credential cache (KRB5CCNAME names one that does not exist): the test
    // fails at AUTH with kerberos-no-ticket and a kinit hint, and the server never sees AUTH.
    void gssapiWithoutTicket()
    {
        ScriptedSmtpServer server(startTlsPrefix({}, {"AUTH GSSAPI PLAIN"}).append(quitAndClose()));
        presentLeaf(server, TestCertificates::Leaf::Localhost);
        QVERIFY(server.listen());
        TestRequest request = authRequest(server, AuthMechanism::Auto, {}, {});
        request.profile.auth.useKerberosTicket = true;
        QTemporaryDir empty;
        QVERIFY(empty.isValid());
        qputenv("KRB5CCNAME", "FILE:" + empty.filePath(u"no-cache"_s).toLocal8Bit());
        const EngineRun run = runConnectionTest(request);
        qunsetenv("KRB5CCNAME");
        const QString context = explain(run, server);

        QVERIFY2(run.finished, qPrintable(context));
        QCOMPARE(run.report.error.id, ErrorId::KerberosNoTicket);
        QCOMPARE(run.report.error.stage, StageId::Auth);
        QVERIFY2(run.report.error.hint.contains(u"kinit"_s), qPrintable(context));
        QCOMPARE(run.report.auth.mechanism, u"GSSAPI"_s);
        QCOMPARE(run.report.auth.servicePrincipal, u"smtp@"_s + request.profile.host);
        QVERIFY2(firstSensitiveLine(server).isEmpty(), qPrintable(context));
        QVERIFY2(server.failures().isEmpty(), qPrintable(context));
    }

    // "Use my Kerberos ticket" with a server that has no GSSAPI: auto does not fall back to a
    // password mechanism (there is no password).
    void kerberosTicketWithoutGssapiOffered()
    {
        ScriptedSmtpServer server(
            startTlsPrefix({}, {"AUTH PLAIN SCRAM-SHA-256"}).append(quitAndClose()));
        presentLeaf(server, TestCertificates::Leaf::Localhost);
        QVERIFY(server.listen());
        TestRequest request = authRequest(server, AuthMechanism::Auto, {}, {});
        request.profile.auth.useKerberosTicket = true;
        const EngineRun run = runConnectionTest(request);
        const QString context = explain(run, server);

        QVERIFY2(run.finished, qPrintable(context));
        QCOMPARE(run.report.error.id, ErrorId::AuthMechanismUnavailable);
        QVERIFY2(run.report.error.hint.contains(u"Kerberos"_s), qPrintable(context));
        QVERIFY2(firstSensitiveLine(server).isEmpty(), qPrintable(context));
    }

    // --- what the server offers ----------------------------------------------------------

    void mechanismDroppedAfterTls()
    {
        // Before TLS the server advertises SCRAM-SHA-256; after it only PLAIN. What was learned
        // in plaintext is forgotten (docs/ARCHITECTURE.md engine rule 3) and the client never
        // switches mechanism.
        ScriptedSmtpServer server(
            startTlsPrefix({"AUTH SCRAM-SHA-256 PLAIN"}, {"PIPELINING", "AUTH PLAIN"})
                .append(quitAndClose()));
        presentLeaf(server, TestCertificates::Leaf::Localhost);
        QVERIFY(server.listen());
        const EngineRun run = runConnectionTest(authRequest(server, AuthMechanism::ScramSha256));
        const QString context = explain(run, server);

        QVERIFY2(run.finished, qPrintable(context));
        QCOMPARE(run.report.error.id, ErrorId::AuthMechanismUnavailable);
        QCOMPARE(run.report.error.stage, StageId::Auth);
        QVERIFY2(firstSensitiveLine(server).isEmpty(), qPrintable(context));
        QCOMPARE(run.report.server.authMechanisms, QStringList{u"PLAIN"_s});
        QVERIFY(!run.report.auth.ok);
        // Both the message and the hint say what was asked for and what is on offer.
        for (const QString& text : {run.report.error.message, run.report.error.hint}) {
            QVERIFY2(text.contains(u"SCRAM-SHA-256"_s), qPrintable(context));
            QVERIFY2(text.contains(u"PLAIN"_s), qPrintable(context));
        }
        QVERIFY2(server.failures().isEmpty(), qPrintable(context));
        QVERIFY(server.quitReceived());
    }

    void autoNeverGuessesTokenOrIdentityMechanisms()
    {
        ScriptedSmtpServer server(
            startTlsPrefix({}, {"AUTH XOAUTH2 OAUTHBEARER ANONYMOUS EXTERNAL"})
                .append(quitAndClose()));
        presentLeaf(server, TestCertificates::Leaf::Localhost);
        QVERIFY(server.listen());
        const EngineRun run = runConnectionTest(authRequest(server, AuthMechanism::Auto));
        const QString context = explain(run, server);

        QVERIFY2(run.finished, qPrintable(context));
        QCOMPARE(run.report.error.id, ErrorId::AuthMechanismUnavailable);
        QCOMPARE(run.report.error.stage, StageId::Auth);
        QVERIFY2(firstSensitiveLine(server).isEmpty(), qPrintable(context));
        QVERIFY(!run.report.auth.attempted);
        for (const QString& text : {run.report.error.message, run.report.error.hint}) {
            for (const QString& offered :
                 {u"XOAUTH2"_s, u"OAUTHBEARER"_s, u"ANONYMOUS"_s, u"EXTERNAL"_s})
                QVERIFY2(text.contains(offered), qPrintable(offered + u" missing\n"_s + context));
        }
        QVERIFY2(server.failures().isEmpty(), qPrintable(context));
    }

    void autoFallsBackToLoginBesideTokenMechanisms()
    {
        ScriptedSmtpServer server(
            startTlsPrefix({}, {"AUTH XOAUTH2 OAUTHBEARER ANONYMOUS EXTERNAL LOGIN"})
                .expect("AUTH LOGIN " + User.toBase64())
                .send("334 UGFzc3dvcmQ6")
                .expect(Password.toBase64())
                .send("235 2.7.0 Accepted")
                .append(quitAndClose()));
        presentLeaf(server, TestCertificates::Leaf::Localhost);
        QVERIFY(server.listen());
        const EngineRun run = runConnectionTest(authRequest(server, AuthMechanism::Auto));
        const QString context = explain(run, server);

        QVERIFY2(run.finished, qPrintable(context));
        QVERIFY2(run.report.ok, qPrintable(context));
        QVERIFY2(server.failures().isEmpty(), qPrintable(context));
        QCOMPARE(run.report.auth.mechanism, u"LOGIN"_s);
        const QString problem = secretProblem(run, server, {Password});
        QVERIFY2(problem.isEmpty(), qPrintable(problem + u"\n"_s + context));
    }
};

QTEST_GUILESS_MAIN(TestEngineSasl)
#include "tst_engine_sasl.moc"
