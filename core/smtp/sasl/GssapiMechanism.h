#pragma once

#include "smtp/sasl/SaslMechanism.h"

#include <QtGlobal>

#include <memory>

namespace relaydeck {

// GSSAPI (RFC 4752): Kerberos V5 through the system's GSS-API library (MIT krb5) with the ticket
// of the user running Relaydeck (the default credential cache, or the one KRB5CCNAME names): no
// password. The service principal is smtp@HOST with the host name the profile names, never the
// address it resolved to. begin() takes the ticket and makes the first context token (asking the
// KDC for the service ticket); the context is established with mutual authentication; then the
// server's wrapped security-layer offer is answered with "no security layer" (TLS protects the
// connection), maximum size 0 and the authorisation identity (the profile's user name; empty:
// the principal itself), wrapped. Failures of this machine's Kerberos get their own error ids
// (kerberos-no-ticket, kerberos-ticket-expired, kerberos-service-unknown, kerberos-failed) and
// gss_display_status' words.
class GssapiMechanism : public SaslMechanism
{
public:
    explicit GssapiMechanism(const SaslCredentials& credentials);
    ~GssapiMechanism() override;
    GssapiMechanism(const GssapiMechanism&) = delete;
    GssapiMechanism& operator=(const GssapiMechanism&) = delete;

    QString name() const override;
    Step begin() override;
    Parties parties() const override;
    bool hasInitialResponse() const override { return true; }
    QByteArray initialResponse() override;
    Step respond(const QByteArray& challenge) override;
    bool acceptsSuccess() const override;

    // The error id for a GSS-API status (major and the krb5 minor code).
    static QString errorIdFor(quint32 major, quint32 minor);
    // The service principal for `host` in GSS-API's host-based form: "smtp@host".
    static QString servicePrincipalFor(const QString& host);

private:
    struct Context;
    Step gssFailure(const QString& what, quint32 major, quint32 minor) const;
    Step continueContext(const QByteArray& challenge);
    Step answerSecurityLayer(const QByteArray& challenge);

    std::unique_ptr<Context> m_gss;
    QByteArray m_authzid;
    QString m_host;
    QString m_client;
    QByteArray m_firstToken;
    enum class State
    {
        Idle,
        Context,
        SecurityLayer,
        Done
    } m_state = State::Idle;
};

} // namespace relaydeck
