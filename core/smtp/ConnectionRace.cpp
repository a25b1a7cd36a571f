#include "smtp/ConnectionRace.h"

#include "smtp/SmtpSession.h"
#include "smtp/SmtpSessionFactory.h"

using namespace Qt::StringLiterals;

namespace relaydeck {

ConnectionRace::ConnectionRace(QObject* parent)
    : QObject(parent)
{
    m_nextAttempt.setSingleShot(true);
    m_nextAttempt.setTimerType(Qt::PreciseTimer);
    connect(&m_nextAttempt, &QTimer::timeout, this, &ConnectionRace::startNext);
}

ConnectionRace::~ConnectionRace()
{
    m_over = true;
    for (const QPointer<SmtpSession>& session : std::as_const(m_sessions))
        if (session) {
            session->disconnect(this);
            session->abort();
        }
}

QList<QHostAddress> ConnectionRace::ordered(const QList<QHostAddress>& addresses)
{
    QList<QHostAddress> v6;
    QList<QHostAddress> v4;
    for (const QHostAddress& address : addresses) {
        if (v6.contains(address) || v4.contains(address))
            continue;
        (address.protocol() == QAbstractSocket::IPv6Protocol ? v6 : v4).append(address);
    }
    QList<QHostAddress> result;
    for (qsizetype i = 0; i < std::max(v6.size(), v4.size()); ++i) {
        if (i < v6.size())
            result.append(v6.at(i));
        if (i < v4.size())
            result.append(v4.at(i));
    }
    return result;
}

void ConnectionRace::start(const SmtpSessionFactory& factory, const QList<QHostAddress>& addresses,
                           quint16 port, const QString& peerName, bool implicitTls,
                           std::function<void(SmtpSession*)> prepare)
{
    m_factory = &factory;
    m_addresses = ordered(addresses);
    m_port = port;
    m_peerName = peerName;
    m_implicitTls = implicitTls;
    m_prepare = std::move(prepare);
    m_clock.start();
    startNext();
}

void ConnectionRace::stop(const QString& outcome)
{
    m_nextAttempt.stop();
    m_over = true;
    for (qsizetype i = 0; i < m_attempts.size(); ++i)
        if (m_attempts.at(i).outcome.isEmpty())
            end(i, outcome);
}

void ConnectionRace::startNext()
{
    if (m_over || m_attempts.size() >= m_addresses.size())
        return;
    const qsizetype index = m_attempts.size();
    const QHostAddress address = m_addresses.at(index);
    ConnectAttempt attempt;
    attempt.address = address.toString();
    attempt.startMs = m_clock.elapsed();
    m_attempts.append(attempt);

    SmtpSession* session = m_factory->create(this);
    m_sessions.append(session);
    if (m_prepare)
        m_prepare(session);
    connect(session, &SmtpSession::transcript, this, &ConnectionRace::transcript);
    connect(session, &SmtpSession::connected, this, [this, index] { onConnected(index); });
    connect(session, &SmtpSession::socketError, this,
            [this, index](QAbstractSocket::SocketError error, const QString& message) {
                onFailed(index, error, message);
            });
    connect(session, &SmtpSession::closed, this, [this, index] {
        onFailed(index, QAbstractSocket::RemoteHostClosedError,
                 tr("the connection was closed before it was established"));
    });
    if (index + 1 < m_addresses.size())
        m_nextAttempt.start(AttemptDelayMs);
    emit attemptStarted(address);
    if (m_over)
        return;
    session->connectToHost(address.toString(), m_port, m_peerName, m_implicitTls);
}

void ConnectionRace::onConnected(qsizetype index)
{
    if (m_over)
        return;
    m_over = true;
    m_nextAttempt.stop();
    SmtpSession* winner = m_sessions.at(index);
    winner->disconnect(this);
    m_sessions[index] = nullptr; // the receiver's now: never aborted by the race
    m_attempts[index].outcome = AttemptOutcome::Connected;
    m_attempts[index].ms = m_clock.elapsed() - m_attempts.at(index).startMs;
    for (qsizetype i = 0; i < m_attempts.size(); ++i)
        if (m_attempts.at(i).outcome.isEmpty())
            end(i, AttemptOutcome::Abandoned,
                tr("%1 answered first").arg(m_attempts.at(index).address));
    emit won(winner);
}

void ConnectionRace::onFailed(qsizetype index, QAbstractSocket::SocketError error,
                              const QString& message)
{
    if (m_over || !m_attempts.at(index).outcome.isEmpty())
        return;
    end(index, AttemptOutcome::Failed, message);
    if (m_attempts.size() < m_addresses.size()) {
        // RFC 8305 section 5: a failed attempt lets the next one start at once.
        m_nextAttempt.stop();
        startNext();
        return;
    }
    if (!anyRunning()) {
        m_over = true;
        emit lost(error, message);
    }
}

void ConnectionRace::end(qsizetype index, const QString& outcome, const QString& detail)
{
    ConnectAttempt& attempt = m_attempts[index];
    attempt.outcome = outcome;
    attempt.detail = detail;
    attempt.ms = m_clock.elapsed() - attempt.startMs;
    emit transcript(u'*',
                    detail.isEmpty()
                        ? u"%1: %2 after %3 ms"_s.arg(attempt.address, outcome).arg(attempt.ms)
                        : u"%1: %2 after %3 ms (%4)"_s.arg(attempt.address, outcome)
                              .arg(attempt.ms)
                              .arg(detail));
    if (SmtpSession* session = m_sessions.at(index)) {
        session->disconnect(this);
        session->abort();
        session->deleteLater();
    }
}

bool ConnectionRace::anyRunning() const
{
    for (const ConnectAttempt& attempt : m_attempts)
        if (attempt.outcome.isEmpty())
            return true;
    return false;
}

} // namespace relaydeck
