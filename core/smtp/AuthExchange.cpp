#include "smtp/AuthExchange.h"

#include "smtp/ErrorIds.h"
#include "smtp/SmtpReply.h"
#include "smtp/sasl/SaslMechanismFactory.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace relaydeck {

namespace {

// The texts were ConnectionTest's before the exchange moved here: they keep its context
// "relaydeck::ConnectionTest" so translations/relaydeck_de.ts still matches them.
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(relaydeck::ConnectionTest)
};

AuthExchange::Next send(const QByteArray& line, const QString& shown)
{
    AuthExchange::Next next;
    next.action = AuthExchange::Next::Action::Send;
    next.line = line;
    next.shown = shown;
    return next;
}

AuthExchange::Next fail(const QString& errorId, const QString& message,
                        const QString& serverReply = {})
{
    AuthExchange::Next next;
    next.action = AuthExchange::Next::Action::Fail;
    next.errorId = errorId;
    next.message = message;
    next.serverReply = serverReply;
    return next;
}

AuthExchange::Next cancelThenFail(const QString& errorId, const QString& message,
                                  const SmtpReply& reply)
{
    AuthExchange::Next next = fail(errorId, message, reply.text());
    next.action = AuthExchange::Next::Action::CancelThenFail;
    return next;
}

QStringList notesFor(const SaslMechanism::Parties& parties)
{
    QStringList notes;
    if (!parties.client.isEmpty())
        notes << Text::tr("logging on as %1").arg(parties.client);
    if (!parties.service.isEmpty())
        notes << Text::tr("service ticket for %1").arg(parties.service);
    return notes;
}

} // namespace

AuthExchange::Choice AuthExchange::choose(AuthMechanism configured, const QStringList& offered,
                                          bool kerberosTicket)
{
    Choice choice;
    if (offered.isEmpty()) {
        choice.errorId = ErrorId::AuthNotOffered;
        choice.message =
            Text::tr("the server does not offer authentication (no AUTH in its EHLO reply)");
        return choice;
    }
    AuthMechanism chosen = configured;
    if (chosen == AuthMechanism::Auto && kerberosTicket)
        chosen = AuthMechanism::Gssapi; // no password to fall back to
    if (chosen == AuthMechanism::Auto) {
        chosen = SaslMechanismFactory::chooseAutomatic(offered);
        if (chosen == AuthMechanism::None) {
            choice.errorId = ErrorId::AuthMechanismUnavailable;
            choice.message =
                Text::tr("no mechanism in common: the server offers %1").arg(offered.join(u' '));
            return choice;
        }
    }
    const QString name = SaslMechanismFactory::saslName(chosen);
    if (!offered.contains(name)) {
        choice.errorId = ErrorId::AuthMechanismUnavailable;
        choice.message =
            Text::tr("the server does not offer %1; it offers %2").arg(name, offered.join(u' '));
        return choice;
    }
    choice.mechanism = chosen;
    return choice;
}

AuthExchange::AuthExchange() = default;
AuthExchange::~AuthExchange() = default;

AuthExchange::Next AuthExchange::start(AuthMechanism mechanism, const SaslCredentials& credentials)
{
    const QString name = SaslMechanismFactory::saslName(mechanism);
    m_mechanism = SaslMechanismFactory::create(mechanism, credentials);
    if (!m_mechanism)
        return fail(ErrorId::AuthMechanismUnavailable,
                    Text::tr("Relaydeck cannot use the mechanism %1").arg(name));
    m_name = name;
    const SaslMechanism::Step begun = m_mechanism->begin();
    if (!begun.ok) {
        // Nothing was sent: this machine could not start the mechanism (no Kerberos ticket).
        Next next =
            fail(begun.errorId.isEmpty() ? ErrorId::AuthFailed : begun.errorId, begun.error);
        next.notes = notesFor(m_mechanism->parties());
        return next;
    }

    QByteArray command = "AUTH " + name.toLatin1();
    QString shown = u"AUTH "_s + name;
    if (m_mechanism->hasInitialResponse()) {
        // RFC 4954: the initial response saves a round trip; "=" stands for an empty one.
        const QByteArray initial = m_mechanism->initialResponse();
        const QByteArray encoded = initial.isEmpty() ? QByteArray("=") : initial.toBase64();
        if (command.size() + 1 + encoded.size() <= MaxCommandLength) {
            command += ' ' + encoded;
            shown += u" <redacted>"_s;
            m_initialResponseSent = true;
        }
    }
    Next next = send(command, shown);
    next.notes = notesFor(m_mechanism->parties());
    return next;
}

SaslMechanism::Parties AuthExchange::parties() const
{
    return m_mechanism ? m_mechanism->parties() : SaslMechanism::Parties{};
}

AuthExchange::Next AuthExchange::onReply(const SmtpReply& reply)
{
    Q_ASSERT(m_mechanism);
    if (reply.code == 334) {
        if (++m_challenges > MaxChallenges)
            return cancelThenFail(ErrorId::ProtocolError,
                                  Text::tr("the server sent more than %1 authentication challenges")
                                      .arg(MaxChallenges),
                                  reply);
        QByteArray response;
        if (!m_initialResponseSent && m_mechanism->hasInitialResponse()) {
            m_initialResponseSent = true;
            response = m_mechanism->initialResponse();
        } else {
            const auto decoded =
                QByteArray::fromBase64Encoding(reply.lines.join(QString()).trimmed().toLatin1(),
                                               QByteArray::AbortOnBase64DecodingErrors);
            if (!decoded)
                return cancelThenFail(
                    ErrorId::ProtocolError,
                    Text::tr("the server's authentication challenge is not base64"), reply);
            const SaslMechanism::Step step = m_mechanism->respond(decoded.decoded);
            if (!step.ok && step.declined) {
                // Relaydeck, not the server, ends it: the server saw no credentials and its
                // challenge is no verdict, so it is not the report's serverReply.
                Next next = fail(ErrorId::AuthMechanismUnavailable,
                                 Text::tr("Relaydeck does not complete %1 with this server: %2")
                                     .arg(m_name, step.error));
                next.action = Next::Action::CancelThenFail;
                return next;
            }
            if (!step.ok)
                return cancelThenFail(step.errorId.isEmpty() ? ErrorId::AuthFailed : step.errorId,
                                      step.error, reply);
            response = step.response;
        }
        return send(response.toBase64(), u"<redacted>"_s);
    }
    if (reply.code == 235) {
        if (!m_mechanism->acceptsSuccess())
            return fail(ErrorId::AuthFailed,
                        Text::tr("the server accepted the login but did not prove it knows the "
                                 "password (%1 server signature missing)")
                            .arg(m_name),
                        reply.text());
        Next next;
        next.action = Next::Action::Succeed;
        const SaslMechanism::Parties who = m_mechanism->parties();
        next.message = who.client.isEmpty() || who.service.isEmpty()
                           ? Text::tr("%1 accepted").arg(m_name)
                           : Text::tr("%1 accepted: %2 with a service ticket for %3")
                                 .arg(m_name, who.client, who.service);
        return next;
    }
    if (reply.code == 504)
        return fail(ErrorId::AuthMechanismUnavailable,
                    Text::tr("the server refused the mechanism %1: %2").arg(m_name, reply.text()),
                    reply.text());
    const QByteArray explanation = m_mechanism->serverError();
    return fail(ErrorId::AuthFailed,
                explanation.isEmpty()
                    ? Text::tr("the server refused the login: %1").arg(reply.text())
                    : Text::tr("the server refused the login: %1 (it explained: %2)")
                          .arg(reply.text(), QString::fromUtf8(explanation).simplified()),
                reply.text());
}

} // namespace relaydeck
