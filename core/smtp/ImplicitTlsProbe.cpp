#include "smtp/ImplicitTlsProbe.h"

#include <QSslConfiguration>
#include <QSslSocket>

namespace relaydeck {

ImplicitTlsProbe::ImplicitTlsProbe(QObject* parent)
    : QObject(parent)
{
    m_delay.setSingleShot(true);
    m_delay.setTimerType(Qt::PreciseTimer); // "no greeting within 3 s" must not fire at 2.85 s
    connect(&m_delay, &QTimer::timeout, this, &ImplicitTlsProbe::probe);
}

ImplicitTlsProbe::~ImplicitTlsProbe()
{
    stop();
}

void ImplicitTlsProbe::start(const QHostAddress& address, quint16 port, int delayMs)
{
    stop();
    m_address = address;
    m_port = port;
    m_delay.start(delayMs);
}

void ImplicitTlsProbe::stop()
{
    m_delay.stop();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
        m_socket = nullptr;
    }
}

void ImplicitTlsProbe::probe()
{
    m_socket = new QSslSocket(this);
    // Only "does this port speak TLS?": the certificate is judged by the real test after the
    // switch, and nothing is sent in this session.
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
    m_socket->setSslConfiguration(configuration);
    connect(m_socket, &QSslSocket::encrypted, this, [this] {
        stop();
        emit answered();
    });
    m_socket->connectToHostEncrypted(m_address.toString(), m_port);
}

} // namespace relaydeck
