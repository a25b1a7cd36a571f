#include "smtp/SecuritySuggestion.h"

#include "profile/AutoSecurity.h"
#include "smtp/ErrorIds.h"

using namespace Qt::StringLiterals;

namespace relaydeck {

QString SecuritySuggestion::label() const
{
    switch (security) {
    case Security::ImplicitTls:
        return tr("Switch to implicit TLS (port %1)").arg(port);
    case Security::StartTls:
        return tr("Switch to STARTTLS (port %1)").arg(port);
    case Security::None:
        return tr("Switch to no encryption (port %1)").arg(port);
    case Security::Auto:
        return tr("Switch to automatic (port %1)").arg(port);
    }
    return QString();
}

std::optional<SecuritySuggestion> SecuritySuggestion::forReport(const TestReport& report,
                                                                const ConnectionProfile& profile)
{
    const bool offersStartTls =
        report.server.capabilities.contains(u"STARTTLS"_s, Qt::CaseInsensitive);
    // Security auto is judged as what it resolved to, or (unresolved) what it planned.
    const Security security =
        securityFromString(report.target.resolvedSecurity).value_or(AutoSecurity::planned(profile));
    if (report.ok && security == Security::None && offersStartTls) {
        return SecuritySuggestion{
            Security::StartTls, profile.effectivePort(),
            tr("The server offers STARTTLS, but this connection does not use it: messages and "
               "any password travel unencrypted. Switch to STARTTLS to encrypt them.")};
    }
    if (report.ok || report.error.isNull() || report.error.id == ErrorId::Cancelled)
        return std::nullopt;
    const int port = profile.effectivePort();
    const QString& id = report.error.id;
    const QString& stage = report.error.stage;
    const int implicitPort = ConnectionProfile::defaultPort(Security::ImplicitTls);

    // Plain text (or STARTTLS) against a port that expects TLS first: the server waits for a
    // ClientHello and we wait for a greeting, or it answers our bytes with garbage.
    const bool stuckBeforeGreeting =
        stage == StageId::Greeting &&
        (id == ErrorId::GreetingTimeout || id == ErrorId::ServerClosed ||
         id == ErrorId::ProtocolError || id == ErrorId::Timeout);
    if (security != Security::ImplicitTls && port == implicitPort && stuckBeforeGreeting)
        return SecuritySuggestion{Security::ImplicitTls, implicitPort, {}};
    // Any port: the engine saw it complete a TLS handshake while it sent no greeting.
    if (security != Security::ImplicitTls && report.server.answersImplicitTls)
        return SecuritySuggestion{Security::ImplicitTls, port, {}};

    // TLS first against a port that greets in plain text: the handshake fails or times out.
    const bool tlsFailed =
        (stage == StageId::Tls || stage == StageId::Connect || stage == StageId::Greeting) &&
        (id == ErrorId::TlsHandshakeFailed || id == ErrorId::ProtocolError ||
         id == ErrorId::Timeout || id == ErrorId::GreetingTimeout || id == ErrorId::ServerClosed);
    if (security == Security::ImplicitTls && port != implicitPort && tlsFailed)
        return SecuritySuggestion{Security::StartTls, port, {}};

    // No encryption, but the server insists on STARTTLS ("530 5.7.0 Must issue a STARTTLS
    // command first"), the engine refused to send the password unencrypted, or the server
    // withholds AUTH (or the mechanism asked for) until STARTTLS, which it advertises.
    const bool wantsStartTls =
        report.error.serverReply.contains(u"STARTTLS"_s, Qt::CaseInsensitive);
    const bool mayNeedTls = id == ErrorId::PlaintextAuthRefused || id == ErrorId::AuthNotOffered ||
                            id == ErrorId::AuthMechanismUnavailable;
    if (security == Security::None && (wantsStartTls || mayNeedTls)) {
        if (wantsStartTls || offersStartTls)
            return SecuritySuggestion{Security::StartTls, port, {}};
    }
    return std::nullopt;
}

} // namespace relaydeck
