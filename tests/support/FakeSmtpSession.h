#pragma once

#include "smtp/SmtpSession.h"
#include "smtp/SmtpSessionFactory.h"

namespace relaydeck::test {

// An SmtpSession without a socket: a relay on 127.0.0.1 that greets, answers EHLO (no STARTTLS,
// no AUTH), accepts everything else with 250 and closes after QUIT's 221. Replies come from the
// event loop, as a socket's would. For tests where a real server adds nothing (a batch's
// bookkeeping, the UI); the protocol itself is tested against ScriptedSmtpServer.
class FakeSmtpSession : public SmtpSession
{
public:
    using SmtpSession::SmtpSession;

    void setSslConfiguration(const QSslConfiguration&) override {}
    void setProxy(const QNetworkProxy&) override {}
    void setHttpTunnel(const QString&, quint16, const QString&, const QString&) override {}
    void connectToHost(const QString& hostOrAddress, quint16 port, const QString& peerName,
                       bool implicitTls) override;
    void send(const QList<Line>& lines) override;
    void sendData(const QByteArray& payload) override;
    bool startTls() override { return false; }
    void ignoreSslErrors(const QList<QSslError>&) override {}
    void disconnectGracefully() override;
    void abort() override { m_stopped = true; }
    QHostAddress peerAddress() const override;

private:
    void reply(int code, const QStringList& lines);

    bool m_stopped = false;
};

// Creates FakeSmtpSessions and counts them.
class FakeSmtpSessionFactory : public SmtpSessionFactory
{
public:
    SmtpSession* create(QObject* parent) const override;

    mutable int created = 0;
};

} // namespace relaydeck::test
