#include "oauth/DeviceSignIn.h"

using namespace Qt::StringLiterals;

namespace relaydeck {

namespace {

struct Text
{
    Q_DECLARE_TR_FUNCTIONS(DeviceSignIn)
};

} // namespace

DeviceSignIn::DeviceSignIn(const OAuthClientConfig& config, QObject* parent)
    : QObject(parent)
    , m_endpoint(new TokenEndpoint(config, this))
{
    m_pollTimer.setSingleShot(true);
    connect(&m_pollTimer, &QTimer::timeout, this, &DeviceSignIn::poll);
}

void DeviceSignIn::start()
{
    m_endpoint->requestDeviceCode(
        [this](const std::optional<DeviceAuthorization>& device, const OAuthError& error) {
            if (!device) {
                emit finished(SignInResult{false, {}, error});
                return;
            }
            m_deviceCode = device->deviceCode;
            m_intervalSeconds = device->intervalSeconds;
            m_deadline.setRemainingTime(qint64(device->expiresInSeconds) * 1000);
            emit userCodeReady(*device);
            m_pollTimer.start(std::max(m_minimumIntervalMs, m_intervalSeconds * 1000));
        });
}

void DeviceSignIn::poll()
{
    m_endpoint->pollDeviceCode(m_deviceCode, [this](const std::optional<TokenResponse>& tokens,
                                                    const OAuthError& error) {
        if (tokens) {
            emit finished(SignInResult{true, *tokens, {}});
            return;
        }
        const bool pending = error.error == u"authorization_pending"_s;
        if (error.error == u"slow_down"_s)
            m_intervalSeconds += 5; // RFC 8628 section 3.5
        if ((pending || error.error == u"slow_down"_s) && !m_deadline.hasExpired()) {
            m_pollTimer.start(std::max(m_minimumIntervalMs, m_intervalSeconds * 1000));
            return;
        }
        if (pending || error.error == u"expired_token"_s) {
            emit finished(SignInResult{
                false,
                {},
                OAuthError::failed(Text::tr("The code expired before the sign-in was completed: "
                                            "start again."))});
            return;
        }
        emit finished(SignInResult{false, {}, error});
    });
}

} // namespace relaydeck
