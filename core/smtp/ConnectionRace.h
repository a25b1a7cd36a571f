#pragma once

#include "smtp/TestReport.h"

#include <QAbstractSocket>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>

namespace relaydeck {

class SmtpSession;
class SmtpSessionFactory;

// Happy Eyeballs (RFC 8305) for one port: connects to a host's addresses, IPv6 first and the
// families interleaved, starting the next attempt 250 ms after the previous one (at once when
// the previous one fails). The first connection to be established wins and every other attempt
// is abandoned, so a broken IPv6 path costs 250 ms, not a timeout. Each attempt is recorded
// (TestTarget::attempts). The race sets no deadline of its own: its owner's connect timeout ends
// it with stop().
class ConnectionRace : public QObject
{
    Q_OBJECT

public:
    // RFC 8305 section 5's recommended "Connection Attempt Delay".
    static constexpr int AttemptDelayMs = 250;

    explicit ConnectionRace(QObject* parent = nullptr);
    ~ConnectionRace() override;

    // RFC 8305 section 4: IPv6 first, then alternating families, each family in the resolver's
    // order.
    static QList<QHostAddress> ordered(const QList<QHostAddress>& addresses);

    // `prepare` configures each new session (TLS, proxy) before it connects; sessions come from
    // `factory`, which must outlive the race.
    void start(const SmtpSessionFactory& factory, const QList<QHostAddress>& addresses,
               quint16 port, const QString& peerName, bool implicitTls,
               std::function<void(SmtpSession*)> prepare);
    // Ends every attempt still running; they are recorded with `outcome` (an AttemptOutcome).
    void stop(const QString& outcome);

    const QList<ConnectAttempt>& attempts() const { return m_attempts; }

signals:
    // A new attempt began (the owner's connect timeout counts from the latest one).
    void attemptStarted(const QHostAddress& address);
    // What the racing sessions wrote to their transcripts.
    void transcript(QChar dir, const QString& line);
    // The first connection is up. The receiver takes `session` (setParent); the race is over.
    void won(relaydeck::SmtpSession* session);
    // Every attempt failed; the error of the last one.
    void lost(QAbstractSocket::SocketError error, const QString& message);

private:
    void startNext();
    void onConnected(qsizetype index);
    void onFailed(qsizetype index, QAbstractSocket::SocketError error, const QString& message);
    void end(qsizetype index, const QString& outcome, const QString& detail = {});
    bool anyRunning() const;

    const SmtpSessionFactory* m_factory = nullptr;
    QList<QHostAddress> m_addresses; // in RFC 8305 order
    quint16 m_port = 0;
    QString m_peerName;
    bool m_implicitTls = false;
    std::function<void(SmtpSession*)> m_prepare;
    QList<ConnectAttempt> m_attempts; // one per started attempt, in start order
    QList<QPointer<SmtpSession>> m_sessions;
    QTimer m_nextAttempt;
    QElapsedTimer m_clock;
    bool m_over = false;
};

} // namespace relaydeck
