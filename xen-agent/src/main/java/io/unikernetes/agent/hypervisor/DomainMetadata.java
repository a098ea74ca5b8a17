package io.unikernetes.agent.hypervisor;

import java.io.StringReader;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/** The libvirt metadata element that ties a domain to its Unikernel. */
public final class DomainMetadata {

  public static final String NAMESPACE_URI = "https://unikernetes.io/xmlns/guest/v1alpha1";
  public static final String PREFIX = "unikernetes";
  public static final String ELEMENT = "guest";

  private DomainMetadata() {
  }

  /** What the metadata element records: the owner and, for a guest on the node's network, its address. */
  public record Recorded(GuestIdentity owner, Optional<String> ip) {
  }

  /** Reads the owner from a domain's XML description; empty for domains Unikernetes did not create. */
  public static Optional<GuestIdentity> ownerOf(String domainXml) {
    return read(domainXml).map(Recorded::owner);
  }

  /** Reads the whole element; empty for domains Unikernetes did not create. */
  public static Optional<Recorded> read(String domainXml) {
    try {
      var factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      var document = factory.newDocumentBuilder().parse(new InputSource(new StringReader(domainXml)));
      NodeList guests = document.getElementsByTagNameNS(NAMESPACE_URI, ELEMENT);
      if (guests.getLength() == 0) {
        return Optional.empty();
      }
      Element guest = (Element) guests.item(0);
      GuestIdentity owner = new GuestIdentity(guest.getAttribute("uid"), guest.getAttribute("namespace"),
          guest.getAttribute("name"), guest.getAttribute("node"));
      return Optional.of(new Recorded(owner, Optional.of(guest.getAttribute("ip")).filter(ip -> !ip.isEmpty())));
    } catch (Exception e) {
      return Optional.empty();
    }
  }
}
