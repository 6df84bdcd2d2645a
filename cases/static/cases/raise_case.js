// Raising a case: choosing a coordination item ticks the co-handling departments the item's
// catalogue entry names (they report with the lead department); the clerk may change the ticks.
'use strict';
{
    const coSectors = JSON.parse(document.getElementById('item-co-sectors').textContent);

    function tickFor(itemId) {
        const wanted = new Set(coSectors[itemId] || []);
        document.querySelectorAll('input[name="co_sectors"]').forEach(function(box) {
            box.checked = wanted.has(box.value);
            box.closest('label').classList.toggle('co-sector-of-item', wanted.has(box.value));
        });
    }

    window.addEventListener('load', function() {
        // The item field is an admin autocomplete (select2 on django.jQuery), which fires jQuery's change.
        django.jQuery('#id_item').on('change', function() { tickFor(this.value); });
    });
}
