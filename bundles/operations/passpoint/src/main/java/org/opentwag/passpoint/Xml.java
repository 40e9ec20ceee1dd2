package org.opentwag.passpoint;

import java.io.StringWriter;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** Builds documents with the JDK's DOM so every value is escaped by the writer, not by hand. */
final class Xml {

    private Xml() {
    }

    static Document newDocument() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            return f.newDocumentBuilder().newDocument();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser is missing", e);
        }
    }

    static Element element(Document d, Element parent, String name, String text) {
        Element e = d.createElement(name);
        if (text != null) {
            e.setTextContent(text);
        }
        parent.appendChild(e);
        return e;
    }

    static String write(Document d, String doctypePublic, String doctypeSystem) {
        try {
            TransformerFactory tf = TransformerFactory.newInstance();
            tf.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            tf.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
            Transformer t = tf.newTransformer();
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            t.setOutputProperty(OutputKeys.INDENT, "yes");
            t.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
            if (doctypePublic != null) {
                t.setOutputProperty(OutputKeys.DOCTYPE_PUBLIC, doctypePublic);
                t.setOutputProperty(OutputKeys.DOCTYPE_SYSTEM, doctypeSystem);
            }
            d.setXmlStandalone(true);
            StringWriter w = new StringWriter();
            t.transform(new DOMSource(d), new StreamResult(w));
            // Without a DOCTYPE the JDK writes the root element right after the declaration; put it on its own line.
            String xml = w.toString();
            int end = xml.indexOf("?>");
            return end > 0 && xml.charAt(end + 2) != '\n' ? xml.substring(0, end + 2) + "\n" + xml.substring(end + 2) : xml;
        } catch (TransformerException e) {
            throw new IllegalStateException("cannot write XML", e);
        }
    }
}
