// The whole ConnectionTest against a server that answers with the fuzzer's bytes: in-process,
// on loopback (127.0.0.1, no DNS, no other network), lock-step so a run does not depend on
// timing. The input: one byte of options (mechanism, STARTTLS, whether to send a message),
// then the server's turns separated by "\n--\n": the first on connect (the greeting), then one
// for each line the client sends (one for a whole DATA payload after a 354). When the turns
// run out, or the client stays silent for IdleMs after a turn, the server closes.
// Invariants: the test finishes exactly once; a verdict with an error has an error id and one
// without has none; the password is never in the transcript or the JSON report.
#include "FuzzSupport.h"
#include "smtp/ConnectionTest.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

using namespace relaydeck;

namespace {

constexpr int IdleMs = 50;
constexpr int RunLimitMs = 20000;
const QString password = QStringLiteral("Fuzz-Secret-Pa55");

const QList<AuthMechanism> mechanisms{
    AuthMechanism::None,        AuthMechanism::Auto,      AuthMechanism::Plain,
    AuthMechanism::Login,       AuthMechanism::CramMd5,   AuthMechanism::ScramSha1,
    AuthMechanism::ScramSha256, AuthMechanism::XOAuth2,   AuthMechanism::OAuthBearer,
    AuthMechanism::Ntlm,        AuthMechanism::Anonymous, AuthMechanism::None};

// Answers each client line (or DATA payload) with the next turn.
class LockStepServer
{
public:
    LockStepServer(QTcpServer* listener, QList<QByteArray> turns)
        : m_turns(std::move(turns))
    {
        m_idle.setSingleShot(true);
        m_idle.setInterval(IdleMs);
        QObject::connect(&m_idle, &QTimer::timeout, [this] { close(); });
        m_connection = QObject::connect(listener, &QTcpServer::newConnection, [this, listener] {
            QTcpSocket* socket = listener->nextPendingConnection();
            if (m_socket) { // one connection a run
                socket->abort();
                socket->deleteLater();
                return;
            }
            m_socket = socket;
            QObject::connect(socket, &QTcpSocket::readyRead, [this] { read(); });
            answer();
        });
    }
    ~LockStepServer()
    {
        QObject::disconnect(m_connection);
        if (m_socket) {
            m_socket->abort();
            delete m_socket;
        }
    }

private:
    void answer()
    {
        if (m_next >= m_turns.size()) {
            close();
            return;
        }
        const QByteArray turn = m_turns.at(m_next++);
        m_dataMode = turn.startsWith("354");
        m_socket->write(turn);
        m_idle.start();
    }

    void read()
    {
        m_buffer += m_socket->readAll();
        m_idle.start();
        while (m_socket && m_socket->state() == QAbstractSocket::ConnectedState) {
            const qsizetype end =
                m_dataMode ? m_buffer.indexOf("\r\n.\r\n") : m_buffer.indexOf('\n');
            if (end < 0)
                return;
            m_buffer.remove(0, end + (m_dataMode ? 5 : 1));
            answer();
        }
    }

    void close()
    {
        m_idle.stop();
        if (m_socket)
            m_socket->disconnectFromHost();
    }

    QList<QByteArray> m_turns;
    qsizetype m_next = 0;
    bool m_dataMode = false;
    QByteArray m_buffer;
    QTcpSocket* m_socket = nullptr;
    QTimer m_idle;
    QMetaObject::Connection m_connection;
};

QTcpServer* listener()
{
    static QTcpServer* server = [] {
        auto* s = new QTcpServer;
        FUZZ_CHECK(s->listen(QHostAddress::LocalHost));
        return s;
    }();
    return server;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    fuzz::ensureApplication();
    if (size < 1)
        return 0;
    const uint8_t options = data[0];
    const QByteArray bytes(reinterpret_cast<const char*>(data) + 1, qsizetype(size) - 1);

    TestRequest request;
    ConnectionProfile& profile = request.profile;
    profile.name = QStringLiteral("fuzz");
    profile.host = QStringLiteral("127.0.0.1");
    profile.port = listener()->serverPort();
    profile.security = (options & 0x10) ? Security::StartTls : Security::None;
    profile.tls.verifyPeer = false;
    profile.timeoutSeconds = 5;
    profile.sender = QStringLiteral("fuzz@example.com");
    profile.heloName = QStringLiteral("client.example.com");
    profile.auth.mechanism = mechanisms.at((options & 0x0f) % mechanisms.size());
    if (profile.auth.mechanism != AuthMechanism::None &&
        profile.auth.mechanism != AuthMechanism::Anonymous)
        profile.auth.username = QStringLiteral("user@example.com");
    request.secrets.smtpPassword = password;
    if (options & 0x20)
        request.sendTo = QStringLiteral("rcpt@example.com");

    LockStepServer server(listener(), fuzz::splitParts(bytes, 64));
    ConnectionTest test;
    QEventLoop loop;
    int finishedCount = 0;
    TestReport report;
    QObject::connect(&test, &ConnectionTest::finished, [&](const TestReport& r) {
        ++finishedCount;
        report = r;
        loop.quit();
    });
    QTimer limit;
    limit.setSingleShot(true);
    QObject::connect(&limit, &QTimer::timeout, &loop, &QEventLoop::quit);
    limit.start(RunLimitMs);
    test.start(request);
    if (finishedCount == 0)
        loop.exec();
    FUZZ_CHECK(finishedCount == 1);
    FUZZ_CHECK(!test.isRunning());

    FUZZ_CHECK(report.ok == report.error.id.isEmpty());
    const QByteArray json = QJsonDocument(report.toJson(true)).toJson();
    FUZZ_CHECK(!json.contains(password.toUtf8()));
    for (const TranscriptLine& line : std::as_const(report.transcript))
        FUZZ_CHECK(!line.line.contains(password));
    // Nothing of this run may fire in the next one.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    return 0;
}
