#include "detect/AutoconfigParser.h"

#include <QCoreApplication>
#include <QXmlStreamReader>

using namespace Qt::StringLiterals;

namespace relaydeck {

namespace {

struct AutoconfigText
{
    Q_DECLARE_TR_FUNCTIONS(AutoconfigParser)
};

QString fillPlaceholders(QString text, const QString& address)
{
    const qsizetype at = address.lastIndexOf(u'@');
    const QString local = at >= 0 ? address.left(at) : QString();
    const QString domain = at >= 0 ? address.mid(at + 1) : address;
    text.replace(u"%EMAILADDRESS%"_s, at >= 0 ? address : QString());
    text.replace(u"%EMAILLOCALPART%"_s, local);
    text.replace(u"%EMAILDOMAIN%"_s, domain);
    return text.trimmed();
}

std::optional<Security> securityFromSocketType(const QString& socketType)
{
    const QString word = socketType.trimmed().toUpper();
    if (word == u"SSL"_s || word == u"TLS"_s)
        return Security::ImplicitTls;
    if (word == u"STARTTLS"_s)
        return Security::StartTls;
    if (word == u"PLAIN"_s)
        return Security::None;
    return std::nullopt;
}

// Reads one <outgoingServer> element (the reader stands on its start).
std::optional<AutoconfigServer> readServer(QXmlStreamReader& reader, const QString& address)
{
    AutoconfigServer server;
    QString socketType;
    QString port;
    while (reader.readNextStartElement()) {
        const auto name = reader.name();
        if (name == u"hostname"_s)
            server.host = fillPlaceholders(reader.readElementText(), address);
        else if (name == u"port"_s)
            port = reader.readElementText().trimmed();
        else if (name == u"socketType"_s)
            socketType = reader.readElementText();
        else if (name == u"username"_s)
            server.username = fillPlaceholders(reader.readElementText(), address);
        else if (name == u"authentication"_s)
            server.authentication.append(reader.readElementText().trimmed());
        else
            reader.skipCurrentElement();
    }
    bool portOk = false;
    server.port = port.toInt(&portOk);
    const std::optional<Security> security = securityFromSocketType(socketType);
    if (server.host.isEmpty() || !portOk || server.port <= 0 || server.port > 65535 || !security)
        return std::nullopt;
    server.security = *security;
    return server;
}

} // namespace

Result<QList<AutoconfigServer>> AutoconfigParser::parse(const QByteArray& xml,
                                                        const QString& address)
{
    QList<AutoconfigServer> servers;
    QXmlStreamReader reader(xml);
    if (!reader.readNextStartElement() || reader.name() != u"clientConfig"_s) {
        return Failure{FailureId::ParseFailed,
                       AutoconfigText::tr("not an autoconfig file (no <clientConfig>)")};
    }
    while (reader.readNextStartElement()) {
        if (reader.name() != u"emailProvider"_s) {
            reader.skipCurrentElement();
            continue;
        }
        while (reader.readNextStartElement()) {
            if (reader.name() == u"outgoingServer"_s &&
                reader.attributes().value(u"type"_s) == u"smtp"_s) {
                if (auto server = readServer(reader, address))
                    servers.append(*server);
            } else {
                reader.skipCurrentElement();
            }
        }
    }
    if (reader.hasError()) {
        // A file that is not well-formed is not trusted for any of its servers.
        return Failure{
            FailureId::ParseFailed,
            AutoconfigText::tr("malformed autoconfig file: %1").arg(reader.errorString())};
    }
    return servers;
}

} // namespace relaydeck
