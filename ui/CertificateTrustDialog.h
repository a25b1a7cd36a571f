#pragma once

#include "Prompter.h"

#include <QDialog>

class QRadioButton;

namespace relaydeck::ui {

// "Trust This Certificate…": why the certificate failed, then a choice between trusting the CA
// that issued it (its subject and fingerprint shown; renewed certificates keep working) and
// trusting this certificate only (a pin, which breaks at the next renewal). The CA choice is
// offered, and preselected, only when the server presented its issuer.
class CertificateTrustDialog : public QDialog
{
    Q_OBJECT

public:
    CertificateTrustDialog(const CertificateTrustOffer& offer, QWidget* parent = nullptr);

    CertificateTrust choice() const;

private:
    QRadioButton* m_issuer;
    QRadioButton* m_leaf;
};

} // namespace relaydeck::ui
