#pragma once

#include "smtp/sasl/SaslMechanism.h"

#include <optional>

namespace relaydeck {

// NTLM as Exchange and other Windows servers speak it over SMTP AUTH ([MS-NLMP], [MS-SMTPNTLM]):
// NEGOTIATE_MESSAGE as the initial response, the server's CHALLENGE_MESSAGE, then the
// AUTHENTICATE_MESSAGE. Only NTLMv2 responses are ever computed (NTLMv1 and LM are broken);
// no signing or sealing, so no session key is exchanged. The domain is the credentials' domain,
// else the part before '\' in "DOMAIN\user"; a UPN ("user@example.com") goes with an empty
// domain, as Windows expects.
class NtlmMechanism : public SaslMechanism
{
public:
    explicit NtlmMechanism(const SaslCredentials& credentials);

    QString name() const override;
    bool hasInitialResponse() const override { return true; }
    QByteArray initialResponse() override; // NEGOTIATE_MESSAGE
    Step respond(const QByteArray& challenge) override;

    // Test seams for known-answer tests: fixed values instead of random bytes and the clock.
    void setClientChallenge(const QByteArray& eightBytes) { m_clientChallenge = eightBytes; }
    // FILETIME: 100 ns units since 1601-01-01 UTC. A timestamp the server sends in its
    // challenge (MsvAvTimestamp) is used otherwise.
    void setTimestamp(quint64 fileTime) { m_timestamp = fileTime; }
    void setWorkstation(const QString& workstation) { m_workstation = workstation; }

    // The NTLMv2 computation of [MS-NLMP] 3.3.2, exposed for known-answer tests.
    struct V2Response
    {
        QByteArray ntProofStr;          // 16 bytes
        QByteArray ntChallengeResponse; // NTProofStr + the client blob
        QByteArray lmChallengeResponse; // LMv2 (24 bytes), or Z(24) when withLm is false
        QByteArray sessionBaseKey;      // 16 bytes
    };
    // NTOWFv2 = HMAC_MD5(MD4(UTF-16LE(password)), UTF-16LE(upper(user) + domain)).
    static QByteArray ntowfV2(const QString& password, const QString& user, const QString& domain);
    static V2Response computeV2Response(const QByteArray& responseKey,
                                        const QByteArray& serverChallenge,
                                        const QByteArray& clientChallenge, quint64 timestamp,
                                        const QByteArray& targetInfo, bool withLm);

private:
    Step authenticate(const QByteArray& challenge);

    QString m_user;
    QString m_domain;
    QString m_password;
    QString m_workstation;
    QByteArray m_clientChallenge;
    std::optional<quint64> m_timestamp;
    enum class State
    {
        Start,
        SentNegotiate,
        SentAuthenticate
    } m_state = State::Start;
};

} // namespace relaydeck
