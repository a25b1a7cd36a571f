#pragma once

#include <QHostAddress>
#include <QObject>
#include <QTimer>

class QSslSocket;

namespace relaydeck {

// Recognises early that a port which sends no SMTP greeting is waiting for a TLS handshake
// (implicit TLS, usually 465) while the test speaks plain SMTP or STARTTLS to it. After
// `delayMs` of silence it opens a second, direct connection and starts a TLS handshake there:
// if the handshake completes, answered() is emitted. Nothing is ever sent inside that TLS session
// (no credentials, no SMTP) and it is closed at once; the certificate is not judged here, only
// whether the port speaks TLS. The probe never reports anything else: when the port does not
// answer TLS either, the test simply waits out its own timeout.
class ImplicitTlsProbe : public QObject
{
    Q_OBJECT

public:
    // A server this slow to greet is unusual, yet well within the usual timeouts.
    static constexpr int DefaultDelayMs = 3000;

    explicit ImplicitTlsProbe(QObject* parent = nullptr);
    ~ImplicitTlsProbe() override;

    void start(const QHostAddress& address, quint16 port, int delayMs = DefaultDelayMs);
    void stop();

signals:
    void answered();

private:
    void probe();

    QTimer m_delay;
    QSslSocket* m_socket = nullptr;
    QHostAddress m_address;
    quint16 m_port = 0;
};

} // namespace relaydeck
