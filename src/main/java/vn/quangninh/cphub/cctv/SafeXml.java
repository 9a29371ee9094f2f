package vn.quangninh.cphub.cctv;

import java.io.ByteArrayInputStream;
import java.util.Optional;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import vn.quangninh.cphub.intake.IntakeRejectedException;
import vn.quangninh.cphub.intake.Refusal;

/**
 * The one way the camera connectors parse XML: no DOCTYPE at all (so no external entity, no entity
 * expansion), no XInclude, no external DTD or schema; namespace-aware, so elements are matched by local
 * name whatever namespace a firmware uses.
 */
public final class SafeXml {

    private SafeXml() {
    }

    /** @throws IntakeRejectedException 400 {@code dtd_refused} or {@code malformed_xml} */
    public static Document parse(byte[] xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            return builder.parse(new ByteArrayInputStream(xml));
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        } catch (Exception e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("DOCTYPE")) {
                throw new IntakeRejectedException(Refusal.MALFORMED, "dtd_refused", "XML with a DOCTYPE is refused (no DTDs, no entities)");
            }
            throw new IntakeRejectedException(Refusal.MALFORMED, "malformed_xml", "The body is not well-formed XML");
        }
    }

    /** The text of the first descendant of {@code parent} with this local name. */
    public static Optional<String> text(Element parent, String localName) {
        return first(parent, localName).map(e -> e.getTextContent().trim()).filter(t -> !t.isEmpty());
    }

    public static Optional<Element> first(Element parent, String localName) {
        NodeList nodes = parent.getElementsByTagNameNS("*", localName);
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i).getNodeType() == Node.ELEMENT_NODE) {
                return Optional.of((Element) nodes.item(i));
            }
        }
        return Optional.empty();
    }
}
