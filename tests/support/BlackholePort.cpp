#include "BlackholePort.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

namespace relaydeck::test {

namespace {

// `address`:`port` as a sockaddr; its length, 0 when the address is neither IPv4 nor IPv6.
socklen_t toSockaddr(const QHostAddress& address, quint16 port, sockaddr_storage& out)
{
    std::memset(&out, 0, sizeof out);
    if (address.protocol() == QAbstractSocket::IPv4Protocol) {
        auto* v4 = reinterpret_cast<sockaddr_in*>(&out);
        v4->sin_family = AF_INET;
        v4->sin_port = htons(port);
        v4->sin_addr.s_addr = htonl(address.toIPv4Address());
        return sizeof(sockaddr_in);
    }
    if (address.protocol() == QAbstractSocket::IPv6Protocol) {
        auto* v6 = reinterpret_cast<sockaddr_in6*>(&out);
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(port);
        const Q_IPV6ADDR raw = address.toIPv6Address();
        std::memcpy(&v6->sin6_addr, raw.c, sizeof raw.c);
        return sizeof(sockaddr_in6);
    }
    return 0;
}

} // namespace

BlackholePort::~BlackholePort()
{
    closeAll();
}

bool BlackholePort::listen(const QHostAddress& address, quint16 port)
{
    closeAll();
    sockaddr_storage where;
    socklen_t length = toSockaddr(address, port, where);
    if (length == 0)
        return false;
    m_listener = ::socket(where.ss_family, SOCK_STREAM, 0);
    if (m_listener < 0)
        return false;
    if (::bind(m_listener, reinterpret_cast<sockaddr*>(&where), length) != 0 ||
        ::listen(m_listener, 0) != 0 ||
        ::getsockname(m_listener, reinterpret_cast<sockaddr*>(&where), &length) != 0) {
        closeAll();
        return false;
    }
    m_port = ntohs(where.ss_family == AF_INET ? reinterpret_cast<sockaddr_in*>(&where)->sin_port
                                              : reinterpret_cast<sockaddr_in6*>(&where)->sin6_port);
    // The one connection the queue holds: completed by the kernel, never accepted.
    m_filler = ::socket(where.ss_family, SOCK_STREAM, 0);
    if (m_filler < 0 || ::connect(m_filler, reinterpret_cast<sockaddr*>(&where), length) != 0) {
        closeAll();
        return false;
    }
    return true;
}

void BlackholePort::closeAll()
{
    if (m_filler >= 0)
        ::close(m_filler);
    if (m_listener >= 0)
        ::close(m_listener);
    m_filler = -1;
    m_listener = -1;
    m_port = 0;
}

} // namespace relaydeck::test
