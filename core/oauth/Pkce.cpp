#include "oauth/Pkce.h"

#include "common/ConstantTime.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

#include <array>

namespace relaydeck {

namespace {

QByteArray randomUrlSafe(int bytes)
{
    QByteArray raw(bytes, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(raw.data()), bytes / 4);
    return raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

} // namespace

QByteArray Pkce::newVerifier()
{
    return randomUrlSafe(32);
}

QByteArray Pkce::challengeFor(const QByteArray& verifier)
{
    return QCryptographicHash::hash(verifier, QCryptographicHash::Sha256)
        .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray Pkce::newState()
{
    return randomUrlSafe(32);
}

bool Pkce::equal(const QByteArray& a, const QByteArray& b)
{
    return constantTimeEqual(a, b);
}

} // namespace relaydeck
