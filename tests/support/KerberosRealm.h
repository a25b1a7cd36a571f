#pragma once

#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace relaydeck::test {

// A private MIT Kerberos realm (TEST.RELAYDECK) for one test: krb5.conf and kdc.conf in a
// temporary folder (found through KRB5_CONFIG and KRB5_KDC_PROFILE, never /etc), a database
// made with kdb5_util, principals added with kadmin.local, service keys in a keytab, and a
// krb5kdc in the foreground on a free loopback port (TCP). Tickets go into private credential
// caches (KRB5CCNAME), got with kinit and a password on its standard input. Everything stops
// and goes when the object does. krb5.conf turns off DNS and reverse-DNS canonicalisation, so
// the client asks for smtp/HOST exactly as the profile names HOST.
class KerberosRealm
{
public:
    KerberosRealm();
    ~KerberosRealm();
    KerberosRealm(const KerberosRealm&) = delete;
    KerberosRealm& operator=(const KerberosRealm&) = delete;

    // The Kerberos programs that are not installed (Debian: krb5-kdc, krb5-admin-server,
    // krb5-user); empty when all are.
    static QStringList missingPrograms();

    // Creates the realm with the user `user` (password `password`) and the service principals
    // (e.g. "smtp/localhost", keys in keytab()), then starts the KDC. False: errorString().
    bool start(const QString& user, const QString& password, const QStringList& services);
    void stop();

    QString realm() const { return QStringLiteral("TEST.RELAYDECK"); }
    QString krb5Config() const;
    QString keytab() const;
    QString errorString() const { return m_error; }
    QString log() const; // the KDC's log so far

    // A new credential cache ("FILE:path") holding the ticket kinit gets for the user, valid for
    // `lifetime` (kinit -l: "10h", "2s"); empty on failure (errorString()).
    QString kinit(const QString& lifetime = QStringLiteral("10h"));
    // A credential cache that does not exist: no ticket at all.
    QString emptyCache() const;
    // `base` with KRB5_CONFIG (this realm) and KRB5CCNAME (`cache`).
    QProcessEnvironment
    environment(const QString& cache,
                QProcessEnvironment base = QProcessEnvironment::systemEnvironment()) const;

private:
    bool run(const QString& program, const QStringList& arguments, const QByteArray& input = {});
    bool waitForKdc(int timeoutMs);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QProcess> m_kdc;
    QString m_user;
    QString m_password;
    QString m_error;
    int m_port = 0;
    int m_caches = 0;
};

} // namespace relaydeck::test
