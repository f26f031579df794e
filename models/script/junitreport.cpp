#include "script/junitreport.h"

#include <QBuffer>
#include <QDateTime>
#include <QXmlStreamWriter>

namespace {
// XML 1.0 allows no control characters but tab, line feed and carriage return, even escaped: a
// transcript is already in display form, but a reason or a file name might not be.
QString xmlSafe(const QString &text)
{
    QString out = text;
    for (QChar &c : out)
        if (c.unicode() < 0x20 && c != u'\t' && c != u'\n' && c != u'\r')
            c = QChar(0xFFFD);
    return out;
}
} // namespace

bool JunitReport::write(QIODevice *device) const
{
    const QByteArray xml = toXml();
    return device->write(xml) == xml.size();
}

QByteArray JunitReport::toXml() const
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QXmlStreamWriter xml(&buffer);
    xml.setAutoFormatting(true);
    xml.writeStartDocument();
    int failures = 0;
    double seconds = 0;
    for (const Case &c : cases) {
        failures += c.passed ? 0 : 1;
        seconds += c.seconds;
    }
    xml.writeStartElement(QStringLiteral("testsuites"));
    xml.writeAttribute(QStringLiteral("tests"), QString::number(cases.size()));
    xml.writeAttribute(QStringLiteral("failures"), QString::number(failures));
    xml.writeAttribute(QStringLiteral("time"), QString::number(seconds, 'f', 3));
    xml.writeStartElement(QStringLiteral("testsuite"));
    xml.writeAttribute(QStringLiteral("name"), xmlSafe(suiteName));
    xml.writeAttribute(QStringLiteral("tests"), QString::number(cases.size()));
    xml.writeAttribute(QStringLiteral("failures"), QString::number(failures));
    xml.writeAttribute(QStringLiteral("errors"), QStringLiteral("0"));
    xml.writeAttribute(QStringLiteral("skipped"), QStringLiteral("0"));
    xml.writeAttribute(QStringLiteral("time"), QString::number(seconds, 'f', 3));
    xml.writeAttribute(QStringLiteral("timestamp"), QDateTime::currentDateTimeUtc().toString(Qt::ISODate));
    for (const Case &c : cases) {
        xml.writeStartElement(QStringLiteral("testcase"));
        xml.writeAttribute(QStringLiteral("name"), xmlSafe(c.name));
        xml.writeAttribute(QStringLiteral("classname"), xmlSafe(c.className));
        xml.writeAttribute(QStringLiteral("time"), QString::number(c.seconds, 'f', 3));
        if (!c.passed) {
            xml.writeStartElement(QStringLiteral("failure"));
            xml.writeAttribute(QStringLiteral("message"), xmlSafe(c.failure));
            xml.writeAttribute(QStringLiteral("type"), QStringLiteral("WebSocketCheck"));
            xml.writeCharacters(xmlSafe(c.failure));
            xml.writeEndElement();
        }
        if (!c.transcript.isEmpty())
            xml.writeTextElement(QStringLiteral("system-out"), xmlSafe(c.transcript.join(u'\n') + u'\n'));
        xml.writeEndElement();
    }
    xml.writeEndElement();
    xml.writeEndElement();
    xml.writeEndDocument();
    return bytes;
}
