#pragma once

#include <QHostAddress>

namespace relaydeck::test {

// A port on which connecting never completes: a listening socket whose accept queue (backlog 0)
// is filled by a connection of our own and never accepted, so the kernel drops every further SYN
// and a client's connect() hangs until its own timeout. That is a blackholed address (an IPv6
// path that is broken somewhere) without touching routes or firewall rules.
class BlackholePort
{
public:
    BlackholePort() = default;
    ~BlackholePort();
    BlackholePort(const BlackholePort&) = delete;
    BlackholePort& operator=(const BlackholePort&) = delete;

    // Port 0: a free one. False when the address or port cannot be bound.
    bool listen(const QHostAddress& address, quint16 port = 0);
    quint16 port() const { return m_port; }

private:
    void closeAll();

    int m_listener = -1;
    int m_filler = -1;
    quint16 m_port = 0;
};

} // namespace relaydeck::test
