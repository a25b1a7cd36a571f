#include "smtp/SmtpSessionFactory.h"

#include "smtp/SmtpSession.h"

namespace relaydeck {

namespace {

class RealSmtpSessionFactory : public SmtpSessionFactory
{
public:
    SmtpSession* create(QObject* parent) const override { return new SmtpSession(parent); }
};

} // namespace

const SmtpSessionFactory& SmtpSessionFactory::real()
{
    static const RealSmtpSessionFactory factory;
    return factory;
}

} // namespace relaydeck
