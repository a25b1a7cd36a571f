#include "EditorSelection.h"

#include "ConnectionEditor.h"
#include "ConnectionListPane.h"
#include "ConnectionLoader.h"
#include "Prompter.h"
#include "TestPanel.h"
#include "TestResults.h"

#include "profile/ProfileStore.h"

namespace relaydeck::ui {

EditorSelection::EditorSelection(const Parts& parts, std::function<bool()> save, QWidget* window)
    : QObject(window)
    , m_parts(parts)
    , m_save(std::move(save))
    , m_window(window)
    , m_loader(new ConnectionLoader(parts.secrets, parts.editor, this))
{
    connect(&m_parts.list, &ConnectionListPane::currentRequested, this,
            &EditorSelection::onCurrentRequested);
    connect(m_loader, &ConnectionLoader::keychainFailed, this, &EditorSelection::keychainFailed);
    connect(m_loader, &ConnectionLoader::secretsLoaded, this, &EditorSelection::changed);
}

bool EditorSelection::isEditing(const QUuid& id) const
{
    return id == m_editingId && m_parts.editor.hasProfile();
}

void EditorSelection::show(const QUuid& id)
{
    m_parts.list.setCurrent(id);
    if (m_parts.store.findById(id) && !isEditing(id))
        load(id);
}

bool EditorSelection::select(const QUuid& id)
{
    if (isEditing(id))
        return true;
    if (!resolveUnsavedChanges())
        return false;
    show(id);
    return m_editingId == id;
}

void EditorSelection::onCurrentRequested(const QUuid& id)
{
    if (isEditing(id))
        return;
    if (!resolveUnsavedChanges()) {
        // Stay on the edited connection; the list follows once this signal has returned.
        m_parts.list.setCurrentLater(m_editingId);
        return;
    }
    show(id);
}

void EditorSelection::load(const QUuid& id)
{
    const std::optional<ConnectionProfile> profile = m_parts.store.findById(id);
    if (!profile)
        return;
    m_editingId = id;
    m_loader->load(*profile);
    if (!m_parts.testPanel.isRunning())
        m_parts.results.showLast(*profile, m_parts.testPanel);
    emit changed();
}

void EditorSelection::holdKeychain()
{
    m_loader->holdKeychain();
}

void EditorSelection::releaseKeychain()
{
    m_loader->releaseKeychain();
}

void EditorSelection::showTestAllResult(const QUuid& id, bool tested)
{
    if (!isEditing(id) || m_parts.testPanel.isRunning() || m_parts.editor.isDirty())
        return;
    if (!tested)
        m_parts.results.dropReport(id); // why it was not tested, not an older report
    if (const std::optional<ConnectionProfile> profile = m_parts.store.findById(id))
        m_parts.results.showLast(*profile, m_parts.testPanel);
}

void EditorSelection::startNew(const ConnectionProfile& profile, const QString& note)
{
    m_loader->invalidate();
    m_editingId = QUuid();
    m_parts.list.clearCurrent();
    m_parts.editor.setProfile(profile, note);
    if (!m_parts.testPanel.isRunning())
        m_parts.testPanel.clear();
    emit changed();
}

void EditorSelection::clear()
{
    m_loader->invalidate();
    m_editingId = QUuid();
    m_parts.editor.clear();
}

bool EditorSelection::resolveUnsavedChanges()
{
    ConnectionEditor& editor = m_parts.editor;
    if (!editor.isDirty())
        return true;
    const QString name = editor.editedProfile().name.trimmed().isEmpty()
                             ? tr("Unnamed connection")
                             : editor.editedProfile().name.trimmed();
    switch (m_parts.prompter.askUnsavedChanges(m_window, name)) {
    case Prompter::UnsavedChangesAnswer::Save:
        if (!editor.isValid()) {
            editor.focusFirstIssue();
            emit statusMessage(tr("The connection was not saved: fix the marked fields first."));
            return false;
        }
        return m_save();
    case Prompter::UnsavedChangesAnswer::Discard:
        if (editor.isNew()) {
            editor.clear();
            m_editingId = QUuid();
        } else {
            editor.revert();
        }
        emit changed();
        return true;
    case Prompter::UnsavedChangesAnswer::Cancel:
        return false;
    }
    return false;
}

} // namespace relaydeck::ui
