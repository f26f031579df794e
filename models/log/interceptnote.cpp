#include "log/interceptnote.h"

#include "text/displaytext.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <iterator>

namespace {
struct Tr {
    Q_DECLARE_TR_FUNCTIONS(InterceptNote)
};
constexpr const char *ActionKeys[] = { "edited", "dropped", "held", "forwarded", "injected", "undelivered" };
} // namespace

const char *InterceptNote::actionKey(Action action)
{
    const auto i = size_t(action);
    return i < std::size(ActionKeys) ? ActionKeys[i] : ActionKeys[0];
}

std::optional<InterceptNote::Action> InterceptNote::actionFromKey(QStringView key)
{
    for (size_t i = 0; i < std::size(ActionKeys); ++i)
        if (key == QLatin1String(ActionKeys[i]))
            return Action(i);
    return std::nullopt;
}

QByteArray InterceptNote::toJson() const
{
    QJsonObject object;
    object.insert(QLatin1String("action"), QLatin1String(actionKey(action)));
    object.insert(QLatin1String("message"), double(message));
    QJsonArray list;
    for (int rule : rules)
        list.append(rule);
    object.insert(QLatin1String("rules"), list);
    object.insert(QLatin1String("detail"), detail);
    if (hold) {
        object.insert(QLatin1String("hold"), double(hold));
        object.insert(QLatin1String("opcode"), opcode);
        if (!fin)
            object.insert(QLatin1String("fin"), false);
        object.insert(QLatin1String("b64"), QString::fromLatin1(payload.toBase64()));
    }
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

std::optional<InterceptNote> InterceptNote::fromJson(QByteArrayView json)
{
    const QJsonDocument document = QJsonDocument::fromJson(json.toByteArray());
    if (!document.isObject())
        return std::nullopt;
    const QJsonObject object = document.object();
    const std::optional<Action> action = actionFromKey(object.value(QLatin1String("action")).toString());
    const QJsonValue message = object.value(QLatin1String("message"));
    const QJsonValue rules = object.value(QLatin1String("rules"));
    const QJsonValue detail = object.value(QLatin1String("detail"));
    if (!action || !message.isDouble() || message.toDouble() < 0 || message.toDouble() > 4294967295.0
        || !(rules.isArray() || rules.isUndefined()) || !(detail.isString() || detail.isUndefined()))
        return std::nullopt;
    InterceptNote note;
    note.action = *action;
    note.message = quint32(message.toDouble());
    for (const QJsonValue &rule : rules.toArray()) {
        if (!rule.isDouble())
            return std::nullopt;
        note.rules << rule.toInt();
    }
    note.detail = detail.toString();
    const QJsonValue hold = object.value(QLatin1String("hold"));
    if (hold.isDouble() && hold.toDouble() >= 1 && hold.toDouble() <= 4294967295.0) {
        note.hold = quint32(hold.toDouble());
        note.opcode = quint8(object.value(QLatin1String("opcode")).toInt() & 0xF);
        note.fin = object.value(QLatin1String("fin")).toBool(true);
        note.payload = QByteArray::fromBase64(object.value(QLatin1String("b64")).toString().toLatin1());
    }
    return note;
}

QString InterceptNote::summary() const
{
    QString text;
    switch (action) {
    case Action::Edited:
        text = message ? Tr::tr("edited message %1").arg(message) : Tr::tr("edited the opening handshake");
        break;
    case Action::Dropped:
        text = Tr::tr("dropped message %1").arg(message);
        break;
    case Action::Held:
        text = Tr::tr("holding message %1").arg(message);
        break;
    case Action::Forwarded:
        text = message ? Tr::tr("forwarded message %1").arg(message) : Tr::tr("rules and intercept");
        break;
    case Action::Injected:
        text = Tr::tr("injected a message");
        break;
    case Action::Undelivered:
        text = Tr::tr("message %1 not delivered").arg(message);
        break;
    }
    if (!detail.isEmpty())
        text += QStringLiteral(": ") + DisplayText::line(detail.toUtf8());
    return text;
}
