"""Small VIP feeds in both supported versions, built by the tests themselves."""

from __future__ import annotations

import zipfile
from pathlib import Path


def vip_feed(version: str = "6.0", polling_locations: int = 3, early_sites: int = 1) -> str:
    """A feed for one county: one election, one administration, 2 precincts, polling places + early sites."""

    def location(i: int, early: bool) -> str:
        if version == "5.2":
            address = (
                f"<AddressLine>{100 + i} Main St</AddressLine><AddressLine>Austin, TX 78701</AddressLine>"
            )
            hours = '<Hours><Text language="en">7:00 am - 7:00 pm</Text></Hours>'
        else:
            address = (
                f"<AddressStructured><Line1>{100 + i} Main St</Line1><City>Austin</City><State>TX</State>"
                f"<Zip>78701</Zip></AddressStructured>"
            )
            hours = f"<HoursOpenId>{'ho-early' if early else 'ho-eday'}</HoursOpenId>"
        return (
            f'<PollingLocation id="{"ev" if early else "pl"}{i}">{address}{hours}'
            f"<IsEarlyVoting>{'true' if early else 'false'}</IsEarlyVoting>"
            f"<LatLng><Latitude>30.2{i}</Latitude><Longitude>-97.7{i}</Longitude></LatLng>"
            f"<Name>{'Early vote site' if early else 'Polling place'} {i}</Name></PollingLocation>"
        )

    places = [location(i, False) for i in range(polling_locations)] + [
        location(i, True) for i in range(early_sites)
    ]
    pl_ids = " ".join(f"pl{i}" for i in range(polling_locations))
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<VipObject xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" schemaVersion="{version}">
  <Source id="src1"><DateTime>2026-10-01T12:00:00</DateTime><Name>Travis County</Name><VipId>48453</VipId></Source>
  <Election id="e1"><Date>2026-11-03</Date><ElectionType><Text language="en">General</Text></ElectionType>
    <IsStatewide>true</IsStatewide><Name><Text language="en">2026 General Election</Text>
    <Text language="es">Elección General 2026</Text></Name><StateId>st48</StateId>
    <RegistrationDeadline>2026-10-05</RegistrationDeadline><HoursOpenId>ho-eday</HoursOpenId></Election>
  <ElectionAdministration id="ea1"><AmIRegisteredUri>https://www.votetexas.gov/mobile/am-i-registered.htm</AmIRegisteredUri>
    <Department><ContactInformation><Name>Travis County Clerk</Name><Phone>512-238-8683</Phone></ContactInformation></Department>
    <ElectionsUri>https://www.votetravis.gov/</ElectionsUri></ElectionAdministration>
  <HoursOpen id="ho-eday"><Schedule><Hours><StartTime>07:00:00-06:00</StartTime><EndTime>19:00:00-06:00</EndTime></Hours>
    <StartDate>2026-11-03</StartDate><EndDate>2026-11-03</EndDate></Schedule></HoursOpen>
  <HoursOpen id="ho-early"><Schedule><Hours><StartTime>07:00:00-06:00</StartTime><EndTime>19:00:00-06:00</EndTime></Hours>
    <StartDate>2026-10-19</StartDate><EndDate>2026-10-30</EndDate></Schedule></HoursOpen>
  <State id="st48"><ElectionAdministrationId>ea1</ElectionAdministrationId><Name>Texas</Name>
    <ExternalIdentifiers><ExternalIdentifier><Type>ocd-id</Type><Value>ocd-division/country:us/state:tx</Value></ExternalIdentifier></ExternalIdentifiers></State>
  <Locality id="loc1"><Name>Travis County</Name><StateId>st48</StateId><Type>county</Type>
    <ElectionAdministrationId>ea1</ElectionAdministrationId></Locality>
  <Precinct id="pr1"><LocalityId>loc1</LocalityId><Name>Precinct 101</Name><PollingLocationIds>{pl_ids}</PollingLocationIds></Precinct>
  <Precinct id="pr2"><LocalityId>loc1</LocalityId><Name>Precinct 102</Name><PollingLocationIds>pl0</PollingLocationIds></Precinct>
  {"".join(places)}
</VipObject>
"""


def write_feed(directory: Path, version: str = "6.0", *, zipped: bool = False, **kwargs) -> Path:
    xml = vip_feed(version, **kwargs)
    if not zipped:
        path = directory / f"vip_{version}.xml"
        path.write_text(xml, encoding="utf-8")
        return path
    path = directory / f"vip_{version}.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(f"vipFeed-48453-{version}.xml", xml)
    return path
