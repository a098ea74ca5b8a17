package io.unikernetes.agent.network;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * libvirt network XML (https://libvirt.org/formatnetwork.html) for a {@link ManagedNetwork}, and what the
 * agent reads back from libvirt's: the bridge's address and the DHCP reservations. Pure: no I/O. Written and
 * read with the JDK's DOM, so names and addresses are escaped by the XML library.
 */
public final class NetworkXml {

  /** DHCP lease of a reservation, minutes (dnsmasq's minimum is 2). */
  public static final int LEASE_MINUTES = 2;
  /** libvirt's namespace for options passed to dnsmasq as they are. */
  static final String DNSMASQ_NS = "http://libvirt.org/schemas/network/dnsmasq/1.0";

  private NetworkXml() {
  }

  /** The network's definition, with no reservation yet: the agent adds them one by one, live. */
  public static String of(ManagedNetwork network) {
    Document doc = newDocument();
    Element root = doc.createElement("network");
    doc.appendChild(root);
    child(root, "name").setTextContent(network.name());
    child(root, "forward").setAttribute("mode", "open");
    Element bridge = child(root, "bridge");
    bridge.setAttribute("name", network.bridge());
    bridge.setAttribute("stp", "off");
    bridge.setAttribute("delay", "0");
    child(root, "dns").setAttribute("enable", "no");
    Element ip = child(root, "ip");
    ip.setAttribute("address", network.gateway());
    ip.setAttribute("prefix", Integer.toString(network.subnet().prefixLength()));
    // An empty <dhcp>: dnsmasq serves the subnet statically, only to reserved MACs.
    child(ip, "dhcp");
    network.dns().ifPresent(server -> {
      root.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, "xmlns:dnsmasq", DNSMASQ_NS);
      Element options = doc.createElementNS(DNSMASQ_NS, "dnsmasq:options");
      root.appendChild(options);
      Element option = doc.createElementNS(DNSMASQ_NS, "dnsmasq:option");
      option.setAttribute("value", "dhcp-option=option:dns-server," + server);
      options.appendChild(option);
    });
    return write(root);
  }

  /**
   * One reservation, as virNetworkUpdate takes it: {@code <host mac='...' ip='...'>} with a lease of
   * {@link #LEASE_MINUTES} minutes. Short, because dnsmasq does not give a reserved address to its new owner
   * while the old owner's lease runs (a deleted guest never releases it); two minutes is dnsmasq's least.
   */
  public static String of(DhcpHost host) {
    Document doc = newDocument();
    Element element = doc.createElement("host");
    element.setAttribute("mac", host.mac());
    element.setAttribute("ip", host.ip());
    Element lease = doc.createElement("lease");
    lease.setAttribute("expiry", Integer.toString(LEASE_MINUTES));
    lease.setAttribute("unit", "minutes");
    element.appendChild(lease);
    doc.appendChild(element);
    return write(element);
  }

  /** The address and prefix of the network's first {@code <ip>} ("10.240.3.1/24"), if it has one. */
  public static Optional<String> gatewayOf(String networkXml) {
    NodeList ips = parse(networkXml).getElementsByTagName("ip");
    if (ips.getLength() == 0) {
      return Optional.empty();
    }
    Element ip = (Element) ips.item(0);
    return Optional.of(ip.getAttribute("address") + "/" + ip.getAttribute("prefix"));
  }

  /** The reservations of the network's {@code <dhcp>} sections, in document order. */
  public static List<DhcpHost> dhcpHostsOf(String networkXml) {
    NodeList hosts = parse(networkXml).getElementsByTagName("host");
    List<DhcpHost> result = new ArrayList<>();
    for (int i = 0; i < hosts.getLength(); i++) {
      Element host = (Element) hosts.item(i);
      if (!host.getAttribute("mac").isEmpty() && !host.getAttribute("ip").isEmpty()
          && "dhcp".equals(host.getParentNode().getNodeName())) {
        result.add(new DhcpHost(host.getAttribute("mac"), host.getAttribute("ip")));
      }
    }
    return result;
  }

  private static Element child(Element parent, String name) {
    Element child = parent.getOwnerDocument().createElement(name);
    parent.appendChild(child);
    return child;
  }

  private static DocumentBuilder builder() throws ParserConfigurationException {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    // libvirt's XML is trusted, but a parser that resolves nothing external costs nothing.
    factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return factory.newDocumentBuilder();
  }

  private static Document newDocument() {
    try {
      return builder().newDocument();
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Document parse(String xml) {
    try {
      return builder().parse(new InputSource(new StringReader(xml)));
    } catch (ParserConfigurationException | SAXException | IOException e) {
      throw new IllegalArgumentException("not a libvirt network XML: " + e.getMessage(), e);
    }
  }

  private static String write(Element element) {
    try {
      var transformer = TransformerFactory.newInstance().newTransformer();
      transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
      transformer.setOutputProperty(OutputKeys.INDENT, "yes");
      transformer.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
      StringWriter out = new StringWriter();
      transformer.transform(new DOMSource(element), new StreamResult(out));
      return out.toString().strip() + "\n";
    } catch (TransformerException e) {
      throw new IllegalStateException(e);
    }
  }
}
