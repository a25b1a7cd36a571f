#pragma once

#include "oauth/SignInResult.h"
#include "oauth/TokenEndpoint.h"

#include <QDeadlineTimer>
#include <QObject>
#include <QTimer>

namespace relaydeck {

// The device authorization grant (RFC 8628) for machines without a browser: asks for a user
// code, reports it with the URL to enter it at, then polls the token endpoint every `interval`
// seconds (authorization_pending: keep polling; slow_down: 5 s more) until the user has signed
// in elsewhere, refused, or the code expired.
class DeviceSignIn : public QObject
{
    Q_OBJECT

public:
    explicit DeviceSignIn(const OAuthClientConfig& config, QObject* parent = nullptr);

    void start();
    int intervalSeconds() const { return m_intervalSeconds; }
    // The smallest poll interval used (tests shorten the provider's interval).
    void setMinimumIntervalMs(int ms) { m_minimumIntervalMs = ms; }

signals:
    void userCodeReady(const relaydeck::DeviceAuthorization& device);
    void finished(const relaydeck::SignInResult& result);

private:
    void poll();

    TokenEndpoint* m_endpoint;
    QTimer m_pollTimer;
    QDeadlineTimer m_deadline;
    QString m_deviceCode;
    int m_intervalSeconds = 5;
    int m_minimumIntervalMs = 1000;
};

} // namespace relaydeck
