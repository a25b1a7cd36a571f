#pragma once

#include "FieldMarker.h"

#include "profile/ConnectionProfile.h"
#include "secrets/SecretStore.h"

#include <QMap>
#include <QWidget>

class QFormLayout;
class QVBoxLayout;

namespace relaydeck::ui {

// One tab of the ConnectionEditor. A tab shows part of a profile (setProfile), writes what the
// user entered back into a profile (applyTo), and marks its fields' validation issues. Setting
// values never emits changed(); user edits do.
class EditorTab : public QWidget
{
    Q_OBJECT

public:
    using QWidget::QWidget;

    virtual void setProfile(const ConnectionProfile& profile) = 0;
    // The edited profile was saved as `stored` (first save: it has its id now).
    virtual void markSaved(const ConnectionProfile& stored) { setProfile(stored); }
    // Writes the tab's fields into `profile`; applyTo(setProfile(p)) leaves p unchanged.
    virtual void applyTo(ConnectionProfile& profile) const = 0;
    // The secrets this tab edits (passwords); slots it does not edit are left alone.
    virtual void setSecrets(const QMap<SecretSlot, QString>& secrets) { Q_UNUSED(secrets); }
    virtual void applySecretsTo(QMap<SecretSlot, QString>& secrets) const { Q_UNUSED(secrets); }
    // While the keychain is being read, secret fields are disabled and say so.
    virtual void setSecretsAvailable(bool available) { Q_UNUSED(available); }

    FieldMarker& marker() { return m_marker; }
    const FieldMarker& marker() const { return m_marker; }

    // Adds "label: widget" to `form`, the validation message label right under the widget (in
    // the same cell, so a hidden message takes no space). The label text carries the mnemonic;
    // its buddy is `widget` (or `buddy` when the widget is a container). `field` empty: a field
    // without validation. Returns the cell's layout, for hints under the field.
    QVBoxLayout* addRow(QFormLayout* form, const QString& labelText, QWidget* widget,
                        const QString& field = QString(), QWidget* buddy = nullptr);
    // Adds the validation message label of `field` (edited by `widget`) to `cell`.
    void addErrorLabel(QVBoxLayout* cell, const QString& field, QWidget* widget);

signals:
    // The user changed something on this tab.
    void changed();

protected:
    // Emits changed() unless the tab is filling its fields from a profile.
    void notifyChanged();

    // True while setProfile()/setSecrets() fill the widgets.
    bool m_filling = false;

private:
    FieldMarker m_marker;
};

// Sets m_filling for the lifetime of a scope.
class FillingScope
{
public:
    explicit FillingScope(bool& flag)
        : m_flag(flag)
        , m_previous(flag)
    {
        m_flag = true;
    }
    ~FillingScope() { m_flag = m_previous; }
    FillingScope(const FillingScope&) = delete;
    FillingScope& operator=(const FillingScope&) = delete;

private:
    bool& m_flag;
    bool m_previous;
};

} // namespace relaydeck::ui
