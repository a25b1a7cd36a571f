#include "smtp/sasl/GssapiMechanism.h"

#include "smtp/ErrorIds.h"
#include "smtp/sasl/SaslText.h"

#include <QCoreApplication>
#include <QStringList>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_krb5.h>
#include <krb5/krb5.h> // the error codes in GSS-API minor statuses, the cache's principal

using namespace Qt::StringLiterals;

namespace relaydeck {

namespace {

// Every string of this file is translated in the context "SaslMechanism" (lupdate files Text::tr()
// there, as it does for a class).
struct Text
{
    Q_DECLARE_TR_FUNCTIONS(SaslMechanism)
};

// RFC 4752 3.3: the security layers in the first octet of the server's offer and our answer.
constexpr unsigned char NoSecurityLayer = 0x01;
constexpr int SecurityLayerTokenSize = 4;

constexpr OM_uint32 krb5Minor(krb5_error_code code)
{
    return static_cast<OM_uint32>(code);
}

// One gss_buffer_t the library allocated, released when it goes out of scope.
class GssBuffer
{
public:
    GssBuffer() = default;
    ~GssBuffer()
    {
        OM_uint32 minor = 0;
        gss_release_buffer(&minor, &m_buffer);
    }
    GssBuffer(const GssBuffer&) = delete;
    GssBuffer& operator=(const GssBuffer&) = delete;

    gss_buffer_t get() { return &m_buffer; }
    QByteArray bytes() const
    {
        return QByteArray(static_cast<const char*>(m_buffer.value),
                          static_cast<qsizetype>(m_buffer.length));
    }

private:
    gss_buffer_desc m_buffer = GSS_C_EMPTY_BUFFER;
};

// A gss_buffer_desc that points into `bytes` (which must outlive it).
gss_buffer_desc viewOf(const QByteArray& bytes)
{
    gss_buffer_desc buffer;
    buffer.length = static_cast<size_t>(bytes.size());
    buffer.value = const_cast<char*>(bytes.constData());
    return buffer;
}

// Every message gss_display_status has for one status value.
QStringList statusMessages(OM_uint32 status, int type)
{
    QStringList messages;
    OM_uint32 context = 0;
    do {
        OM_uint32 minor = 0;
        GssBuffer text;
        const gss_OID mechanism = type == GSS_C_MECH_CODE ? gss_mech_krb5 : GSS_C_NO_OID;
        if (GSS_ERROR(gss_display_status(&minor, status, type, mechanism, &context, text.get())))
            break;
        const QString message = QString::fromUtf8(text.bytes()).trimmed();
        if (!message.isEmpty() && message != u"Success"_s) // a minor code 0's text says nothing
            messages << message;
    } while (context != 0);
    return messages;
}

QString displayName(gss_name_t name)
{
    OM_uint32 minor = 0;
    GssBuffer text;
    if (GSS_ERROR(gss_display_name(&minor, name, text.get(), nullptr)))
        return {};
    return QString::fromUtf8(text.bytes());
}

// The principal of the default credential cache, even when its tickets have expired (the
// GSS-API then names nobody): for the hint's "kinit alice@EXAMPLE.COM".
QString cachePrincipal()
{
    krb5_context context = nullptr;
    if (krb5_init_context(&context) != 0)
        return {};
    QString name;
    krb5_ccache cache = nullptr;
    if (krb5_cc_default(context, &cache) == 0) {
        krb5_principal principal = nullptr;
        if (krb5_cc_get_principal(context, cache, &principal) == 0) {
            char* text = nullptr;
            if (krb5_unparse_name(context, principal, &text) == 0) {
                name = QString::fromUtf8(text);
                krb5_free_unparsed_name(context, text);
            }
            krb5_free_principal(context, principal);
        }
        krb5_cc_close(context, cache);
    }
    krb5_free_context(context);
    return name;
}

} // namespace

struct GssapiMechanism::Context
{
    gss_cred_id_t credential = GSS_C_NO_CREDENTIAL;
    gss_name_t target = GSS_C_NO_NAME;
    gss_ctx_id_t context = GSS_C_NO_CONTEXT;

    ~Context()
    {
        OM_uint32 minor = 0;
        if (context != GSS_C_NO_CONTEXT)
            gss_delete_sec_context(&minor, &context, GSS_C_NO_BUFFER);
        if (target != GSS_C_NO_NAME)
            gss_release_name(&minor, &target);
        if (credential != GSS_C_NO_CREDENTIAL)
            gss_release_cred(&minor, &credential);
    }

    // One step of gss_init_sec_context with mutual authentication.
    OM_uint32 step(OM_uint32* minor, const QByteArray& input, GssBuffer& output, OM_uint32* flags)
    {
        gss_buffer_desc in = viewOf(input);
        return gss_init_sec_context(
            minor, credential, &context, target, gss_mech_krb5,
            GSS_C_MUTUAL_FLAG | GSS_C_SEQUENCE_FLAG, GSS_C_INDEFINITE, GSS_C_NO_CHANNEL_BINDINGS,
            input.isEmpty() ? GSS_C_NO_BUFFER : &in, nullptr, output.get(), flags, nullptr);
    }
};

GssapiMechanism::GssapiMechanism(const SaslCredentials& credentials)
    : m_gss(std::make_unique<Context>())
    , m_authzid(credentials.username.trimmed().toUtf8())
    , m_host(credentials.host.trimmed())
{}

GssapiMechanism::~GssapiMechanism() = default;

QString GssapiMechanism::name() const
{
    return u"GSSAPI"_s;
}

QString GssapiMechanism::servicePrincipalFor(const QString& host)
{
    return u"smtp@"_s + host;
}

QString GssapiMechanism::errorIdFor(quint32 major, quint32 minor)
{
    const OM_uint32 routine = GSS_ROUTINE_ERROR(major);
    if (routine == GSS_S_CREDENTIALS_EXPIRED || minor == krb5Minor(KRB5KRB_AP_ERR_TKT_EXPIRED))
        return ErrorId::KerberosTicketExpired;
    if (routine == GSS_S_NO_CRED || minor == krb5Minor(KRB5_FCC_NOFILE) ||
        minor == krb5Minor(KRB5_CC_NOTFOUND) || minor == krb5Minor(KRB5_CC_FORMAT) ||
        minor == krb5Minor(KRB5_CC_END))
        return ErrorId::KerberosNoTicket;
    if (minor == krb5Minor(KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN))
        return ErrorId::KerberosServiceUnknown;
    return ErrorId::KerberosFailed;
}

SaslMechanism::Step GssapiMechanism::gssFailure(const QString& what, quint32 major,
                                                quint32 minor) const
{
    QStringList messages = statusMessages(major, GSS_C_GSS_CODE);
    if (minor != 0)
        messages << statusMessages(minor, GSS_C_MECH_CODE);
    Step step;
    step.ok = false;
    step.errorId = errorIdFor(major, minor);
    step.error = messages.isEmpty() ? what : Text::tr("%1: %2").arg(what, messages.join(u"; "_s));
    return step;
}

SaslMechanism::Step GssapiMechanism::begin()
{
    OM_uint32 minor = 0;
    OM_uint32 lifetime = 0;
    OM_uint32 major = gss_acquire_cred(&minor, GSS_C_NO_NAME, GSS_C_INDEFINITE, GSS_C_NO_OID_SET,
                                       GSS_C_INITIATE, &m_gss->credential, nullptr, &lifetime);
    if (GSS_ERROR(major)) {
        m_client = cachePrincipal();
        return gssFailure(Text::tr("No Kerberos ticket could be used"), major, minor);
    }

    gss_name_t client = GSS_C_NO_NAME;
    major = gss_inquire_cred(&minor, m_gss->credential, &client, &lifetime, nullptr, nullptr);
    if (client != GSS_C_NO_NAME) {
        m_client = displayName(client);
        OM_uint32 ignored = 0;
        gss_release_name(&ignored, &client);
    }
    if (m_client.isEmpty())
        m_client = cachePrincipal();
    if (GSS_ERROR(major))
        return gssFailure(Text::tr("The Kerberos ticket cannot be used"), major, minor);
    if (lifetime == 0) {
        Step step;
        step.ok = false;
        step.errorId = ErrorId::KerberosTicketExpired;
        step.error = Text::tr("The Kerberos ticket of %1 has expired").arg(m_client);
        return step;
    }

    const QByteArray service = servicePrincipalFor(m_host).toUtf8();
    gss_buffer_desc serviceName = viewOf(service);
    major = gss_import_name(&minor, &serviceName, GSS_C_NT_HOSTBASED_SERVICE, &m_gss->target);
    if (GSS_ERROR(major))
        return gssFailure(
            Text::tr("The service name %1 is not usable").arg(QString::fromUtf8(service)), major,
            minor);

    // The first token: here the library asks the KDC for the service ticket.
    GssBuffer output;
    OM_uint32 flags = 0;
    major = m_gss->step(&minor, {}, output, &flags);
    if (GSS_ERROR(major))
        return gssFailure(
            Text::tr("No Kerberos service ticket for %1").arg(QString::fromUtf8(service)), major,
            minor);
    m_firstToken = output.bytes();
    m_state = major == GSS_S_COMPLETE ? State::SecurityLayer : State::Context;
    return {};
}

SaslMechanism::Parties GssapiMechanism::parties() const
{
    return {m_client, m_host.isEmpty() ? QString() : servicePrincipalFor(m_host)};
}

QByteArray GssapiMechanism::initialResponse()
{
    return m_firstToken;
}

SaslMechanism::Step GssapiMechanism::respond(const QByteArray& challenge)
{
    switch (m_state) {
    case State::Context:
        return continueContext(challenge);
    case State::SecurityLayer:
        return answerSecurityLayer(challenge);
    case State::Idle:
    case State::Done:
        break;
    }
    return {false, {}, sasl::unexpectedChallengeMessage(name())};
}

SaslMechanism::Step GssapiMechanism::continueContext(const QByteArray& challenge)
{
    OM_uint32 minor = 0;
    OM_uint32 flags = 0;
    GssBuffer output;
    const OM_uint32 major = m_gss->step(&minor, challenge, output, &flags);
    if (GSS_ERROR(major))
        return gssFailure(Text::tr("The server's Kerberos reply was not accepted"), major, minor);
    if (major == GSS_S_COMPLETE) {
        if (!(flags & GSS_C_MUTUAL_FLAG)) {
            Step step;
            step.ok = false;
            step.errorId = ErrorId::KerberosFailed;
            step.error = Text::tr("The server did not prove its identity (no Kerberos mutual "
                                  "authentication)");
            return step;
        }
        m_state = State::SecurityLayer;
    }
    return {true, output.bytes(), {}};
}

SaslMechanism::Step GssapiMechanism::answerSecurityLayer(const QByteArray& challenge)
{
    OM_uint32 minor = 0;
    gss_buffer_desc wrapped = viewOf(challenge);
    GssBuffer offer;
    OM_uint32 major = gss_unwrap(&minor, m_gss->context, &wrapped, offer.get(), nullptr, nullptr);
    if (GSS_ERROR(major))
        return gssFailure(Text::tr("The server's security layer offer could not be unwrapped"),
                          major, minor);
    const QByteArray layers = offer.bytes();
    if (layers.size() != SecurityLayerTokenSize)
        return {false,
                {},
                Text::tr("The server's security layer offer has %1 octets instead of 4")
                    .arg(layers.size())};
    if (!(static_cast<unsigned char>(layers.at(0)) & NoSecurityLayer)) {
        Step step;
        step.ok = false;
        step.declined = true;
        step.error = Text::tr("the server requires a GSSAPI security layer; Relaydeck relies on "
                              "TLS and uses none");
        return step;
    }
    // No security layer, maximum message size 0 (RFC 4752 3.1), then the authorisation identity.
    QByteArray answer(SecurityLayerTokenSize, '\0');
    answer[0] = static_cast<char>(NoSecurityLayer);
    answer += m_authzid;
    gss_buffer_desc plain = viewOf(answer);
    GssBuffer reply;
    major = gss_wrap(&minor, m_gss->context, 0, GSS_C_QOP_DEFAULT, &plain, nullptr, reply.get());
    if (GSS_ERROR(major))
        return gssFailure(Text::tr("The security layer answer could not be wrapped"), major, minor);
    m_state = State::Done;
    return {true, reply.bytes(), {}};
}

bool GssapiMechanism::acceptsSuccess() const
{
    return m_state == State::Done;
}

} // namespace relaydeck
