#include "smtp/sasl/ScramMechanism.h"

#include "common/ConstantTime.h"

#include "smtp/sasl/SaslText.h"

#include <QCoreApplication>
#include <QMessageAuthenticationCode>
#include <QRandomGenerator>

#include <optional>

using namespace Qt::StringLiterals;

namespace relaydeck {

namespace {

// Every string of this file is translated in the context "SaslMechanism" (lupdate files Text::tr()
// there, as it does for a class).
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(SaslMechanism)
};

QByteArray hmac(QCryptographicHash::Algorithm algorithm, const QByteArray& key,
                const QByteArray& data)
{
    return QMessageAuthenticationCode::hash(data, key, algorithm);
}

// Hi() of RFC 5802 section 2.2: PBKDF2 with HMAC and one output block of the hash's size.
QByteArray saltedPassword(QCryptographicHash::Algorithm algorithm, const QByteArray& password,
                          const QByteArray& salt, int iterations)
{
    QMessageAuthenticationCode mac(algorithm, password);
    mac.addData(salt);
    mac.addData("\0\0\0\1", 4);
    QByteArray u = mac.result();
    QByteArray result = u;
    for (int i = 1; i < iterations; ++i) {
        mac.reset();
        mac.addData(u);
        u = mac.result();
        for (qsizetype k = 0; k < result.size(); ++k)
            result[k] = static_cast<char>(result.at(k) ^ u.at(k));
    }
    return result;
}

// "a=x,b=y" -> the value of `key`, or nullopt.
std::optional<QByteArray> attribute(const QList<QByteArray>& attributes, char key)
{
    for (const QByteArray& item : attributes) {
        if (item.size() >= 2 && item.at(0) == key && item.at(1) == '=')
            return item.mid(2);
    }
    return std::nullopt;
}

} // namespace

ScramMechanism::ScramMechanism(Hash hash, const SaslCredentials& credentials)
    : m_hash(hash)
    , m_credentials(credentials)
{}

QString ScramMechanism::name() const
{
    return m_hash == Hash::Sha1 ? u"SCRAM-SHA-1"_s : u"SCRAM-SHA-256"_s;
}

QCryptographicHash::Algorithm ScramMechanism::algorithm() const
{
    return m_hash == Hash::Sha1 ? QCryptographicHash::Sha1 : QCryptographicHash::Sha256;
}

QByteArray ScramMechanism::clientFirstBare()
{
    if (m_clientNonce.isEmpty()) {
        quint32 random[6];
        QRandomGenerator::system()->fillRange(random);
        m_clientNonce = QByteArray(reinterpret_cast<const char*>(random), sizeof random)
                            .toBase64(QByteArray::OmitTrailingEquals);
    }
    return "n=" + sasl::escapeSaslName(sasl::prepared(m_credentials.username)) +
           ",r=" + m_clientNonce;
}

QByteArray ScramMechanism::initialResponse()
{
    if (m_state == State::Start)
        m_state = State::SentClientFirst;
    return "n,," + clientFirstBare();
}

SaslMechanism::Step ScramMechanism::fail(const QString& error)
{
    m_state = State::Failed;
    return {false, {}, error};
}

SaslMechanism::Step ScramMechanism::respond(const QByteArray& challenge)
{
    switch (m_state) {
    case State::Start:
        // The session did not send the initial response: the server asks with "334 ".
        if (!challenge.isEmpty())
            return fail(sasl::unexpectedChallengeMessage(name()));
        return {true, initialResponse(), {}};
    case State::SentClientFirst:
        return clientFinal(challenge);
    case State::SentClientFinal:
        return verifyServerFinal(challenge);
    case State::Verified:
    case State::Failed:
        break;
    }
    return fail(sasl::unexpectedChallengeMessage(name()));
}

SaslMechanism::Step ScramMechanism::clientFinal(const QByteArray& serverFirst)
{
    const QList<QByteArray> attributes = serverFirst.split(',');
    if (serverFirst.startsWith("m="))
        return fail(Text::tr("The server requires a SCRAM extension Relaydeck does not support."));
    if (serverFirst.startsWith("e="))
        return fail(Text::tr("The server reported a SCRAM error: %1")
                        .arg(QString::fromUtf8(serverFirst.mid(2))));
    const auto nonce = attribute(attributes, 'r');
    const auto salt64 = attribute(attributes, 's');
    const auto iterationText = attribute(attributes, 'i');
    if (!nonce || !salt64 || !iterationText)
        return fail(Text::tr("The server's SCRAM challenge is malformed (nonce, salt or iteration "
                             "count missing)."));
    // The server must extend our nonce; otherwise this challenge belongs to another exchange
    // (or a replay).
    if (!nonce->startsWith(m_clientNonce) || nonce->size() <= m_clientNonce.size() ||
        nonce->contains(','))
        return fail(Text::tr("The server's SCRAM nonce does not continue the client's nonce."));
    const auto salt =
        QByteArray::fromBase64Encoding(*salt64, QByteArray::AbortOnBase64DecodingErrors);
    if (!salt || salt.decoded.isEmpty())
        return fail(Text::tr("The server's SCRAM salt is not valid base64."));
    bool numeric = false;
    const int iterations = iterationText->toInt(&numeric);
    if (!numeric || iterations < 1)
        return fail(Text::tr("The server's SCRAM iteration count is not a positive number."));
    if (iterations > maximumIterations)
        return fail(
            Text::tr("The server asks for %1 SCRAM iterations; Relaydeck computes at most %2.")
                .arg(iterations)
                .arg(maximumIterations));

    const QCryptographicHash::Algorithm algo = algorithm();
    const QByteArray salted =
        saltedPassword(algo, sasl::prepared(m_credentials.password), salt.decoded, iterations);
    const QByteArray clientKey = hmac(algo, salted, "Client Key");
    const QByteArray storedKey = QCryptographicHash::hash(clientKey, algo);
    // "biws" is base64("n,,"): no channel binding, no authorisation identity.
    const QByteArray withoutProof = "c=biws,r=" + *nonce;
    const QByteArray authMessage = clientFirstBare() + ',' + serverFirst + ',' + withoutProof;
    const QByteArray clientSignature = hmac(algo, storedKey, authMessage);
    QByteArray proof = clientKey;
    for (qsizetype k = 0; k < proof.size(); ++k)
        proof[k] = static_cast<char>(proof.at(k) ^ clientSignature.at(k));
    const QByteArray serverKey = hmac(algo, salted, "Server Key");
    m_expectedServerSignature = hmac(algo, serverKey, authMessage);
    m_state = State::SentClientFinal;
    return {true, withoutProof + ",p=" + proof.toBase64(), {}};
}

SaslMechanism::Step ScramMechanism::verifyServerFinal(const QByteArray& serverFinal)
{
    const QList<QByteArray> attributes = serverFinal.split(',');
    if (const auto error = attribute(attributes, 'e'))
        return fail(
            Text::tr("The server refused the SCRAM login: %1").arg(QString::fromUtf8(*error)));
    const auto verifier = attribute(attributes, 'v');
    if (!verifier)
        return fail(Text::tr("The server's final SCRAM message has no signature."));
    const auto signature =
        QByteArray::fromBase64Encoding(*verifier, QByteArray::AbortOnBase64DecodingErrors);
    if (!signature || !constantTimeEqual(signature.decoded, m_expectedServerSignature))
        return fail(Text::tr("The server's SCRAM signature is wrong: the server does not know the "
                             "password, or something between Relaydeck and the server is "
                             "impersonating it."));
    m_state = State::Verified;
    // An empty response lets the server send its 235.
    return {true, {}, {}};
}

} // namespace relaydeck
