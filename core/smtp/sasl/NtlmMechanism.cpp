#include "smtp/sasl/NtlmMechanism.h"

#include "smtp/sasl/SaslText.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDateTime>
#include <QMessageAuthenticationCode>
#include <QRandomGenerator>
#include <QtEndian>

using namespace Qt::StringLiterals;

namespace relaydeck {

namespace {

// NegotiateFlags ([MS-NLMP] 2.2.2.5).
constexpr quint32 NegotiateUnicode = 0x00000001;
constexpr quint32 RequestTarget = 0x00000004;
constexpr quint32 NegotiateNtlm = 0x00000200;
constexpr quint32 NegotiateAlwaysSign = 0x00008000;
constexpr quint32 NegotiateExtendedSessionSecurity = 0x00080000;
constexpr quint32 NegotiateTargetInfo = 0x00800000;
constexpr quint32 Negotiate128 = 0x20000000;
constexpr quint32 Negotiate56 = 0x80000000;
constexpr quint32 ClientFlags = NegotiateUnicode | RequestTarget | NegotiateNtlm |
                                NegotiateAlwaysSign | NegotiateExtendedSessionSecurity |
                                Negotiate128 | Negotiate56;

constexpr quint16 MsvAvEol = 0;
constexpr quint16 MsvAvTimestamp = 7;

const QByteArray signature("NTLMSSP\0", 8);

// Every string of this file is translated in the context "SaslMechanism" (lupdate files Text::tr()
// there, as it does for a class).
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(SaslMechanism)
};

QByteArray utf16le(const QString& text)
{
    QByteArray bytes;
    bytes.reserve(text.size() * 2);
    for (const QChar c : text) {
        bytes += static_cast<char>(c.unicode() & 0xff);
        bytes += static_cast<char>(c.unicode() >> 8);
    }
    return bytes;
}

void appendLe16(QByteArray& out, quint16 value)
{
    char bytes[2];
    qToLittleEndian(value, bytes);
    out.append(bytes, 2);
}

void appendLe32(QByteArray& out, quint32 value)
{
    char bytes[4];
    qToLittleEndian(value, bytes);
    out.append(bytes, 4);
}

void appendLe64(QByteArray& out, quint64 value)
{
    char bytes[8];
    qToLittleEndian(value, bytes);
    out.append(bytes, 8);
}

quint16 le16(const QByteArray& data, qsizetype at)
{
    return qFromLittleEndian<quint16>(data.constData() + at);
}

quint32 le32(const QByteArray& data, qsizetype at)
{
    return qFromLittleEndian<quint32>(data.constData() + at);
}

QByteArray hmacMd5(const QByteArray& key, const QByteArray& data)
{
    return QMessageAuthenticationCode::hash(data, key, QCryptographicHash::Md5);
}

// The payload of a security buffer (length, max length, offset) at `at`; nullopt when it points
// outside the message.
std::optional<QByteArray> securityBuffer(const QByteArray& message, qsizetype at)
{
    if (message.size() < at + 8)
        return std::nullopt;
    const quint16 length = le16(message, at);
    const quint32 offset = le32(message, at + 4);
    if (length == 0)
        return QByteArray();
    if (offset > static_cast<quint64>(message.size()) ||
        static_cast<quint64>(offset) + length > static_cast<quint64>(message.size()))
        return std::nullopt;
    return message.mid(offset, length);
}

// Checks the AV_PAIR list's structure and finds MsvAvTimestamp.
bool readTargetInfo(const QByteArray& info, std::optional<quint64>* timestamp)
{
    qsizetype at = 0;
    while (at + 4 <= info.size()) {
        const quint16 id = le16(info, at);
        const quint16 length = le16(info, at + 2);
        if (at + 4 + length > info.size())
            return false;
        if (id == MsvAvEol)
            return true;
        if (id == MsvAvTimestamp && length == 8)
            *timestamp = qFromLittleEndian<quint64>(info.constData() + at + 4);
        at += 4 + length;
    }
    return false;
}

quint64 fileTimeNow()
{
    // FILETIME counts 100 ns since 1601-01-01; the Unix epoch is 11644473600 s later.
    const quint64 ms = static_cast<quint64>(QDateTime::currentMSecsSinceEpoch());
    return (ms + 11644473600000ULL) * 10000ULL;
}

} // namespace

NtlmMechanism::NtlmMechanism(const SaslCredentials& credentials)
    : m_user(credentials.username)
    , m_domain(credentials.domain)
    , m_password(credentials.password)
{
    const qsizetype backslash = m_user.indexOf(u'\\');
    if (backslash >= 0) {
        if (m_domain.isEmpty())
            m_domain = m_user.left(backslash);
        m_user = m_user.mid(backslash + 1);
    }
}

QString NtlmMechanism::name() const
{
    return u"NTLM"_s;
}

QByteArray NtlmMechanism::initialResponse()
{
    if (m_state == State::Start)
        m_state = State::SentNegotiate;
    // NEGOTIATE_MESSAGE (2.2.1.1) without domain or workstation: 32 bytes.
    QByteArray message = signature;
    appendLe32(message, 1);
    appendLe32(message, ClientFlags);
    message += QByteArray(16, '\0'); // DomainNameFields, WorkstationFields
    return message;
}

SaslMechanism::Step NtlmMechanism::respond(const QByteArray& challenge)
{
    switch (m_state) {
    case State::Start:
        if (!challenge.isEmpty())
            break;
        return {true, initialResponse(), {}};
    case State::SentNegotiate:
        return authenticate(challenge);
    case State::SentAuthenticate:
        break;
    }
    return {false, {}, sasl::unexpectedChallengeMessage(name())};
}

QByteArray NtlmMechanism::ntowfV2(const QString& password, const QString& user,
                                  const QString& domain)
{
    const QByteArray ntHash = QCryptographicHash::hash(utf16le(password), QCryptographicHash::Md4);
    return hmacMd5(ntHash, utf16le(user.toUpper() + domain));
}

NtlmMechanism::V2Response
NtlmMechanism::computeV2Response(const QByteArray& responseKey, const QByteArray& serverChallenge,
                                 const QByteArray& clientChallenge, quint64 timestamp,
                                 const QByteArray& targetInfo, bool withLm)
{
    // temp = Responserversion(1), HiResponserversion(1), Z(6), Time, ClientChallenge, Z(4),
    // ServerName (the AV pairs), Z(4)  ([MS-NLMP] 3.3.2).
    QByteArray temp("\x01\x01\0\0\0\0\0\0", 8);
    appendLe64(temp, timestamp);
    temp += clientChallenge;
    temp += QByteArray(4, '\0');
    temp += targetInfo;
    temp += QByteArray(4, '\0');

    V2Response response;
    response.ntProofStr = hmacMd5(responseKey, serverChallenge + temp);
    response.ntChallengeResponse = response.ntProofStr + temp;
    response.lmChallengeResponse =
        withLm
            ? QByteArray(hmacMd5(responseKey, serverChallenge + clientChallenge) + clientChallenge)
            : QByteArray(24, '\0');
    response.sessionBaseKey = hmacMd5(responseKey, response.ntProofStr);
    return response;
}

SaslMechanism::Step NtlmMechanism::authenticate(const QByteArray& challenge)
{
    m_state = State::SentAuthenticate;
    // CHALLENGE_MESSAGE (2.2.1.2): signature, type 2, TargetNameFields, NegotiateFlags,
    // ServerChallenge, Reserved, TargetInfoFields.
    if (challenge.size() < 48 || !challenge.startsWith(signature) || le32(challenge, 8) != 2)
        return {false, {}, Text::tr("The server's NTLM challenge is malformed.")};
    const quint32 serverFlags = le32(challenge, 20);
    if (!(serverFlags & NegotiateUnicode))
        return {false,
                {},
                Text::tr("The server offers NTLM only with OEM code pages; Relaydeck requires "
                         "Unicode."),
                true};
    const QByteArray serverChallenge = challenge.mid(24, 8);
    const std::optional<QByteArray> targetInfo = securityBuffer(challenge, 40);
    std::optional<quint64> serverTime;
    // An NTLMv1-only server (Exim's spa) sends neither a target name nor target information:
    // Relaydeck declines it itself (NTLMv1 is never used). Cyrus SASL's challenge names its
    // target but carries no target information: the NTLMv2 response is then built with an empty
    // AV_PAIR list (the trailing zeros of `temp` end it), which such servers check.
    const std::optional<QByteArray> targetName = securityBuffer(challenge, 12);
    if ((!targetInfo || targetInfo->isEmpty()) && (!targetName || targetName->isEmpty()))
        return {false,
                {},
                Text::tr("The server's NTLM challenge carries no target information, so it cannot "
                         "do NTLMv2; Relaydeck does not use the insecure NTLMv1."),
                true};
    if (!targetInfo || (!targetInfo->isEmpty() && !readTargetInfo(*targetInfo, &serverTime)))
        return {false, {}, Text::tr("The server's NTLM target information is malformed.")};

    QByteArray clientChallenge = m_clientChallenge;
    if (clientChallenge.size() != 8) {
        quint32 random[2];
        QRandomGenerator::system()->fillRange(random);
        clientChallenge = QByteArray(reinterpret_cast<const char*>(random), 8);
    }
    const quint64 timestamp = m_timestamp ? *m_timestamp : serverTime ? *serverTime : fileTimeNow();
    // With a server timestamp the LMv2 response must be zeros ([MS-NLMP] 3.1.5.1.2).
    const V2Response v2 =
        computeV2Response(ntowfV2(m_password, m_user, m_domain), serverChallenge, clientChallenge,
                          timestamp, *targetInfo, !serverTime.has_value());

    // AUTHENTICATE_MESSAGE (2.2.1.3) without Version and MIC: a 64-byte header, then payloads.
    const QByteArray domain = utf16le(m_domain);
    const QByteArray user = utf16le(m_user);
    const QByteArray workstation = utf16le(m_workstation);
    const QList<QByteArray> payloads{
        v2.lmChallengeResponse, v2.ntChallengeResponse, domain, user, workstation, QByteArray()};
    for (const QByteArray& payload : payloads) {
        if (payload.size() > 0xffff)
            return {false, {}, Text::tr("The NTLM credentials are too long.")};
    }
    QByteArray message = signature;
    appendLe32(message, 3);
    quint32 offset = 64;
    for (const QByteArray& payload : payloads) {
        appendLe16(message, static_cast<quint16>(payload.size()));
        appendLe16(message, static_cast<quint16>(payload.size()));
        appendLe32(message, offset);
        offset += static_cast<quint32>(payload.size());
    }
    appendLe32(message, (serverFlags & ClientFlags) | NegotiateUnicode |
                            (serverFlags & NegotiateTargetInfo));
    for (const QByteArray& payload : payloads)
        message += payload;
    return {true, message, {}};
}

} // namespace relaydeck
